const { trace, context } = require(require.resolve('@opentelemetry/api', { paths: [require.resolve('@o4o/otel')] }));
const { performance } = require('node:perf_hooks');
const tracer = trace.getTracer('bench');
function one(i) {
  const span = tracer.startSpan('GET /products', { attributes: { 'http.request.method': 'GET', 'url.path': '/products', 'http.route': '/products', 'server.port': 3000, i } });
  context.with(trace.setSpan(context.active(), span), () => {
    const child = tracer.startSpan('SELECT products', { attributes: { 'db.system.name': 'sqlite', 'db.query.text': 'SELECT * FROM products' } });
    child.end();
  });
  span.end();
}
for (let i = 0; i < 20000; i++) one(i);
let n = 0; const t0 = performance.now();
function batch() { for (let k = 0; k < 100; k++) one(n++); if (performance.now() - t0 < 3000) setImmediate(batch); else console.error(JSON.stringify({ nsPerPairOfSpans: (performance.now() - t0) * 1e6 / n })); }
batch();
