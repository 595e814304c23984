'use strict';
/**
 * The ways the same shop runs in the benchmark, and the three workloads.
 * Every variant runs bench/app/main.js; only the preload and its environment differ.
 * A variant with `runsOn(nodeMajor)` is only meaningful on the Node.js releases it accepts.
 */
const path = require('node:path');

const BENCH = path.resolve(__dirname, '..');
const APP = path.join(BENCH, 'app', 'main.js');
// Every port the benchmark uses is below Linux's ephemeral range (32768-60999):
// a port in it can be taken by any outgoing connection, even the load's own.
const METRICS_PORT = 27764;

/**
 * @param otlp the collector's OTLP/HTTP base URL
 * @param datadogAgent the URL of the stand-in Datadog agent (lib/dd-sink.js)
 */
function variants(otlp, datadogAgent = 'http://127.0.0.1:9') {
  return [
    { key: 'a', name: 'none', label: '(a) no instrumentation', nodeArgs: [], env: {} },
    {
      key: 'b',
      name: 'o4o',
      label: '(b) @o4o/otel',
      exports: true,
      nodeArgs: ['--require', '@o4o/otel/register'],
      // Everything on, as shipped: traces at 100 % (parentbased_always_on) and
      // logs over OTLP to the collector, Prometheus endpoint scraped by it.
      env: { OTEL_SERVICE_NAME: 'shop-api', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_EXPORTER_PROMETHEUS_PORT: String(METRICS_PORT) },
    },
    {
      key: 'c',
      name: 'upstream',
      label: '(c) auto-instrumentations-node',
      exports: true,
      nodeArgs: ['--require', '@opentelemetry/auto-instrumentations-node/register'],
      // The same exporters: OTLP/HTTP protobuf traces and logs (winston through
      // instrumentation-winston + @opentelemetry/winston-transport), Prometheus
      // metrics scraped by the collector. Resource detectors limited to local
      // ones: the default "all" adds cloud detectors that call metadata
      // addresses off this machine.
      env: {
        OTEL_SERVICE_NAME: 'shop-api',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(METRICS_PORT),
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
      },
    },
    {
      key: 'd',
      name: 'prom-bundle',
      label: '(d) prom-client + express-prom-bundle',
      nodeArgs: ['--require', path.join(BENCH, 'variants', 'prom-bundle.js')],
      env: { BENCH_METRICS_PORT: String(METRICS_PORT) },
    },
    {
      key: 'e',
      name: 'dd-trace',
      label: '(e) dd-trace',
      datadog: true,
      nodeArgs: ['--require', 'dd-trace/init'],
      // Datadog's tracer as a team would start it, every request traced, its agent
      // URL on a local stand-in that accepts what it sends. Telemetry, remote
      // configuration and runtime metrics off: they talk to the agent on timers,
      // not per request, and the stand-in has nothing to answer them with.
      env: {
        DD_SERVICE: 'shop-api',
        DD_ENV: 'bench',
        DD_TRACE_AGENT_URL: datadogAgent,
        DD_TRACE_SAMPLE_RATE: '1',
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
        DD_REMOTE_CONFIGURATION_ENABLED: 'false',
        DD_RUNTIME_METRICS_ENABLED: 'false',
        DD_TRACE_STARTUP_LOGS: 'false',
      },
    },
    {
      key: 'f',
      name: 'o4o-sampled',
      label: '(f) @o4o/otel, 10 % head sampling',
      nodeArgs: ['--require', '@o4o/otel/register'],
      // (b) with the recommended production sampler. Which requests are sampled is
      // random, so no span count is expected of it; logs are all sent.
      env: {
        OTEL_SERVICE_NAME: 'shop-api',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
        OTEL_EXPORTER_PROMETHEUS_PORT: String(METRICS_PORT),
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
    },
    {
      key: 'h',
      name: 'o4o-context-frame',
      label: '(h) @o4o/otel, --experimental-async-context-frame',
      exports: true,
      // (b) with Node 24's context storage turned on in Node 22: AsyncLocalStorage on
      // AsyncContextFrame instead of promise hooks, the option the package README describes.
      // Node 24 and later store context so by default (and Node 26 refuses the flag): Node 22 only.
      runsOn: (nodeMajor) => nodeMajor < 24,
      nodeArgs: ['--experimental-async-context-frame', '--require', '@o4o/otel/register'],
      env: { OTEL_SERVICE_NAME: 'shop-api', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_EXPORTER_PROMETHEUS_PORT: String(METRICS_PORT) },
    },
    {
      key: 'g',
      name: 'sdk-floor',
      label: '(g) SDK floor: server span, SQL spans, histogram',
      exports: true,
      sendsLogs: false,
      nodeArgs: ['--require', path.join(BENCH, 'variants', 'sdk-floor.js')],
      env: { OTEL_SERVICE_NAME: 'shop-api', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_EXPORTER_PROMETHEUS_PORT: String(METRICS_PORT) },
    },
  ];
}

const ORDER = JSON.stringify({ userId: 1, items: [{ productId: 1, quantity: 1 }], paymentMethod: 'card' });

const WORKLOADS = [
  { key: 'trivial', label: 'GET /ping (trivial)', method: 'GET', path: '/ping', logLines: 0 },
  { key: 'read', label: 'GET /products (TypeORM read)', method: 'GET', path: '/products', db: true, logLines: 0 },
  { key: 'order', label: 'POST /orders (write, meters, 2 logs)', method: 'POST', path: '/orders', body: ORDER, db: true, logLines: 2 },
];

module.exports = { variants, WORKLOADS, APP, BENCH, METRICS_PORT };
