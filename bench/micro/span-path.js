'use strict';
/**
 * Cost per span of the whole span path as shipped, from `startSpan` to the
 * bytes of its OTLP/protobuf export request: @o4o/otel's lean tracer against
 * the OpenTelemetry SDK's tracer (with the monotonic clock processor it runs
 * with), both into the same encoding span processor. Two spans of GET
 * /products: the SERVER span (attributes set after start, status, route and
 * name at the end) and a 7-attribute SQL span (the frozen attribute set the
 * TypeORM instrumentation passes). Prints ns and bytes allocated per span, the
 * medians of alternating rounds, as one JSON line.
 *
 *   node bench/micro/span-path.js
 *
 * Bytes are the heap's growth over a run too short for a scavenge (the script
 * runs itself again with a large new space; a run during which a collection
 * happened is repeated).
 */
const { performance, PerformanceObserver } = require('node:perf_hooks');
const { spawnSync } = require('node:child_process');

/** Bytes are counted in a second process of this script, with a new space large enough that nothing is collected. */
const COUNTING_BYTES = typeof global.gc === 'function';
function bytesFromChild() {
  const flags = ['--expose-gc', '--min-semi-space-size=128', '--max-semi-space-size=128'];
  const child = spawnSync(process.execPath, [...flags, ...process.execArgv, __filename], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.status !== 0) throw new Error(`counting bytes failed: ${child.stderr}`);
  return JSON.parse(child.stderr.trim().split('\n').pop()).results;
}
const { createRequire } = require('node:module');
const { setting } = require('../defaults');

const otel = createRequire(require.resolve('@o4o/otel/package.json'));
const api = otel('@opentelemetry/api');
const { TracerProvider } = otel('@opentelemetry/sdk-trace');
const { resourceFromAttributes } = otel('@opentelemetry/resources');
const { LeanTracerProvider } = otel('./dist/tracer/provider.js');
const { MonotonicSpanClock } = otel('./dist/span-clock.js');
const { EncodingSpanProcessor } = otel('./dist/encoding-processors.js');

const gc = global.gc;

const resource = resourceFromAttributes({ 'service.name': 'shop-api', 'service.version': '1.0.0', 'host.name': 'bench', 'process.pid': process.pid });
const SQL_ATTRIBUTES = Object.freeze({
  'db.system.name': 'sqlite',
  'db.namespace': ':memory:',
  'db.query.text':
    'SELECT "Product"."id" AS "Product_id", "Product"."name" AS "Product_name", "Product"."price" AS "Product_price" FROM "products" "Product" WHERE "Product"."active" = ? ORDER BY "Product"."id" ASC LIMIT ?',
  'db.operation.name': 'SELECT',
  'db.collection.name': 'products',
  'o4o.db.orm.operation': 'find',
  'o4o.db.orm.entity': 'Product',
});

function encodingProcessor() {
  let bytes = 0;
  const sink = { send: (body) => (bytes += body.length), whenDelivered: async () => {} };
  const settings = { scheduledDelayMillis: 5_000, exportTimeoutMillis: 30_000, maxQueueSize: 2_048, maxExportBatchSize: 512, maxQueueBytes: 8 * 1024 * 1024 };
  const processor = new EncodingSpanProcessor({ sink, settings, reportFailure: () => {} });
  return { processor, bytes: () => bytes };
}

function providers() {
  const lean = encodingProcessor();
  const sdk = encodingProcessor();
  return {
    lean: new LeanTracerProvider({ resource, sampler: 'parentbased_always_on', samplerRatio: 1, limits: {}, spanProcessors: [lean.processor] }),
    sdk: new TracerProvider({ resource, spanProcessors: [new MonotonicSpanClock(), sdk.processor] }),
  };
}

/** The SQL span of a request, under a server span's context. */
function sqlWorkload(provider) {
  const tracer = provider.getTracer('@o4o/otel/typeorm', '0.1.0');
  const parent = provider.getTracer('@o4o/otel/http-server', '0.1.0').startSpan('GET', { kind: api.SpanKind.SERVER }, api.ROOT_CONTEXT);
  const ctx = api.trace.setSpan(api.ROOT_CONTEXT, parent);
  return () => {
    tracer.startSpan('SELECT products', { kind: api.SpanKind.CLIENT, attributes: SQL_ATTRIBUTES }, ctx).end();
  };
}

/** The SERVER span as http-server/ makes it. */
function serverWorkload(provider) {
  const tracer = provider.getTracer('@o4o/otel/http-server', '0.1.0');
  let port = 40_000;
  return () => {
    const span = tracer.startSpan('GET', { kind: api.SpanKind.SERVER }, api.ROOT_CONTEXT);
    span.setAttributes({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/products',
      'network.protocol.version': '1.1',
      'server.address': '127.0.0.1',
      'server.port': 3000,
      'client.address': '127.0.0.1',
      'network.peer.address': '127.0.0.1',
      'network.peer.port': port++ & 0xffff,
      'user_agent.original': 'autocannon',
    });
    span.setAttribute('http.response.status_code', 200);
    span.setAttribute('http.route', '/products');
    span.updateName('GET /products');
    span.end();
  };
}

function nsPerSpan(work, millis) {
  for (let i = 0; i < 2_000; i++) work();
  let spans = 0;
  const start = performance.now();
  while (performance.now() - start < millis) {
    for (let i = 0; i < 256; i++) work();
    spans += 256;
  }
  return ((performance.now() - start) * 1e6) / spans;
}

let collections = 0;
if (COUNTING_BYTES) new PerformanceObserver((list) => (collections += list.getEntries().length)).observe({ entryTypes: ['gc'] });

async function bytesPerSpan(work) {
  const spans = 20_000;
  for (let attempt = 0; attempt < 5; attempt++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seen = collections;
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < spans; i++) work();
    const after = process.memoryUsage().heapUsed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (collections === seen) return (after - before) / spans;
  }
  return Number.NaN;
}

async function main() {
  const seconds = setting('BENCH_MICRO_SECONDS');
  const { lean, sdk } = providers();
  const workloads = { sql: { lean: sqlWorkload(lean), sdk: sqlWorkload(sdk) }, server: { lean: serverWorkload(lean), sdk: serverWorkload(sdk) } };
  const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
  const results = [];
  for (const [span, byTracer] of Object.entries(workloads)) {
    for (const tracer of ['sdk', 'lean']) results.push({ span, tracer, values: [] });
    for (let round = 0; round < 5; round++) {
      for (const result of results.filter((r) => r.span === span)) {
        const work = byTracer[result.tracer];
        result.values.push(COUNTING_BYTES ? await bytesPerSpan(work) : nsPerSpan(work, (seconds * 1000) / 20));
      }
    }
  }
  const summary = results.map(({ span, tracer, values }) => ({ span, tracer, [COUNTING_BYTES ? 'bytesPerSpan' : 'nsPerSpan']: median(values) }));
  if (!COUNTING_BYTES) {
    const bytes = bytesFromChild();
    for (const entry of summary) entry.bytesPerSpan = bytes.find((b) => b.span === entry.span && b.tracer === entry.tracer).bytesPerSpan;
  }
  process.stderr.write(`${JSON.stringify({ results: summary, node: process.version })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
