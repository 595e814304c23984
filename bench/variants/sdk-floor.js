'use strict';
/**
 * Variant (g), the reference floor: the OpenTelemetry SDK that @o4o/otel uses
 * (same packages, same versions, loaded from @o4o/otel's own dependencies) with
 * the least instrumentation that still gives a useful trace and the RED metric:
 *   - one SERVER span per request, from Node's http diagnostics channels, named
 *     by Express's matched route at finish; incoming trace context honoured;
 *   - one CLIENT span per SQL statement (TypeORM's better-sqlite3 query runner,
 *     one prototype wrap), named by the statement's first word;
 *   - `http.server.request.duration` on the Prometheus endpoint;
 *   - the SDK's BatchSpanProcessor with default settings (the delay from
 *     OTEL_BSP_SCHEDULE_DELAY, for the harness's calibration), OTLP/protobuf over HTTP.
 * No handler or ORM spans, no logs, no privacy processing, no retry buffer.
 * What (b) costs above this row is the price of everything else it does.
 *
 * Environment: OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_PROMETHEUS_PORT, OTEL_SERVICE_NAME.
 */
const http = require('node:http');
const path = require('node:path');
const Module = require('node:module');
const { subscribe } = require('node:diagnostics_channel');

const otel = Module.createRequire(require.resolve('@o4o/otel/package.json'));
const api = otel('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = otel('@opentelemetry/context-async-hooks');
const { W3CTraceContextPropagator } = otel('@opentelemetry/core');
const { TracerProvider, BatchSpanProcessor } = otel('@opentelemetry/sdk-trace');
const { MeterProvider } = otel('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = otel('@opentelemetry/exporter-prometheus');
const { ProtobufTraceSerializer } = otel('@opentelemetry/otlp-transformer');
const { resourceFromAttributes } = otel('@opentelemetry/resources');

const { context, propagation, trace, SpanKind, ROOT_CONTEXT } = api;
const endpoint = new URL('/v1/traces', process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318');
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

/** OTLP/protobuf over HTTP, one POST per batch, no retry. */
const exporter = {
  export(spans, done) {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    const req = http.request(endpoint, { method: 'POST', agent, timeout: 10_000, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => done({ code: res.statusCode < 300 ? 0 : 1 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done({ code: 1 }));
    req.end(body);
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

const resource = resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'shop-api' });
const tracerProvider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: Number(process.env.OTEL_BSP_SCHEDULE_DELAY ?? 5000) })] });
const prometheus = new PrometheusExporter({ host: '127.0.0.1', port: Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464) });
const meterProvider = new MeterProvider({ resource, readers: [prometheus] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(tracerProvider);

const tracer = tracerProvider.getTracer('bench-floor');
const duration = meterProvider.getMeter('bench-floor').createHistogram('http.server.request.duration', { unit: 's' });

const STATE = Symbol('floor.request');
subscribe('http.server.request.start', ({ request, response }) => {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer.startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.url } }, parent);
  response[STATE] = { span, started: performance.now() };
  context.attach(trace.setSpan(parent, span));
});
subscribe('http.server.response.finish', ({ request, response }) => {
  const state = response[STATE];
  if (!state) return;
  const route = request.route ? `${request.baseUrl ?? ''}${request.route.path}` : undefined;
  const attributes = { 'http.request.method': request.method, 'http.response.status_code': response.statusCode };
  if (route) {
    attributes['http.route'] = route;
    state.span.updateName(`${request.method} ${route}`);
  }
  state.span.setAttributes(attributes);
  state.span.end();
  duration.record((performance.now() - state.started) / 1000, attributes);
});

// One SQL span per statement: wrap the query runner's `query` when TypeORM loads it.
const RUNNER = `${path.sep}driver${path.sep}better-sqlite3${path.sep}BetterSqlite3QueryRunner.js`;
const load = Module._load;
Module._load = function loadAndPatch(request, parent, isMain) {
  const exports = load.apply(this, arguments);
  if (exports?.BetterSqlite3QueryRunner?.prototype?.query && !exports.BetterSqlite3QueryRunner.prototype.query.floor) {
    const filename = Module._resolveFilename(request, parent, isMain);
    if (filename.endsWith(RUNNER)) {
      const original = exports.BetterSqlite3QueryRunner.prototype.query;
      const query = function (sql, ...rest) {
        const active = context.active();
        if (trace.getSpan(active) === undefined) return original.call(this, sql, ...rest);
        const span = tracer.startSpan(String(sql).split(' ', 1)[0], { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'sqlite', 'db.query.text': sql } }, active);
        const result = context.with(trace.setSpan(active, span), () => original.call(this, sql, ...rest));
        return result.then(
          (value) => {
            span.end();
            return value;
          },
          (error) => {
            span.end();
            throw error;
          },
        );
      };
      query.floor = true;
      exports.BetterSqlite3QueryRunner.prototype.query = query;
    }
  }
  return exports;
};

// The shop exits with process.exit() once its server has closed: deliver what is batched first (3 s at most).
const exit = process.exit;
process.exit = function exitAfterFlush(code) {
  const timer = setTimeout(() => exit.call(process, code), 3000);
  void Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]).finally(() => {
    clearTimeout(timer);
    exit.call(process, code);
  });
};
