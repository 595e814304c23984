'use strict';
/**
 * Variant (d), the monitoring guide's original metrics-only design, as a preload:
 * prom-client's default metrics plus express-prom-bundle's request histogram on
 * every Express app the process creates. The shop stays free of instrumentation
 * code, so `express()` is wrapped here: the wrapped factory puts the bundle's
 * middleware first on each new app.
 *
 * The metrics are served on their own port (BENCH_METRICS_PORT, default 9464),
 * like @o4o/otel's Prometheus endpoint, so the collector scrapes both alike.
 *
 *   node --require ./variants/prom-bundle.js app/main.js
 */
const path = require('node:path');

const shopDir = path.dirname(require.resolve('@o4o/example-shop-api/package.json'));
const expressPath = require.resolve('express', { paths: [shopDir] });
const express = require(expressPath);
const promBundle = require('express-prom-bundle');

const metricsApp = express();
const bundle = promBundle({
  includeMethod: true,
  includePath: true,
  includeStatusCode: true,
  // Route templates, never raw paths: /products/17 is counted as /products/:id.
  normalizePath: (req) => (req.route ? req.baseUrl + req.route.path : '#unmatched'),
  promClient: { collectDefaultMetrics: {} },
  metricsApp,
  autoregister: false,
});

function instrumentedExpress(...args) {
  const app = express(...args);
  app.use(bundle);
  return app;
}
Object.assign(instrumentedExpress, express);
Object.setPrototypeOf(instrumentedExpress, Object.getPrototypeOf(express));
require.cache[expressPath].exports = instrumentedExpress;

const port = Number(process.env.BENCH_METRICS_PORT ?? 9464);
const server = metricsApp.listen(port, '127.0.0.1');
server.unref();
