'use strict';
/**
 * The example shop as the benchmarks run it: the same modules as
 * examples/shop-api/dist/main.js (createApp, the DataSource, the house logger,
 * the business figures), plus two things the benchmark needs and the shop
 * must not carry in its own code:
 *   - GET /ping, a trivial route (no database, no logging), added after the
 *     shop's routers, which never match it;
 *   - stock large enough that a few hundred thousand orders never run out
 *     (otherwise POST /orders would soon answer 409 and measure a different path).
 * Telemetry, if any, comes only from the preload the harness passes with --require.
 *
 * Environment: the shop's own (PORT, HOST, SQLITE_PATH, PAYMENT_PROVIDER_URL, ...).
 */
const shop = require('@o4o/example-shop-api/dist/app.js');
const { readShopConfig } = require('@o4o/example-shop-api/dist/config.js');
const { createDataSource, seed } = require('@o4o/example-shop-api/dist/database.js');
const { registerShopFigures } = require('@o4o/example-shop-api/dist/business-figures.js');
const { PaymentClient } = require('@o4o/example-shop-api/dist/payment-client.js');
const { createLogger } = require('@o4o/otel');

const BENCH_STOCK = 1_000_000_000;

async function main() {
  const config = readShopConfig(process.env);
  const logger = createLogger({ service: 'shop-api', environment: config.environment });
  const dataSource = await createDataSource(config).initialize();
  await seed(dataSource);
  await dataSource.query(`UPDATE products SET stock = ${BENCH_STOCK}`);
  const payments = new PaymentClient(config.paymentProviderUrl, config.paymentTimeoutMillis);
  const figures = registerShopFigures(dataSource);
  const app = shop.createApp({ dataSource, payments, logger, figures });
  app.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(config.port, config.host, (error) => {
    if (error) {
      // Express 5 reports listen errors (EADDRINUSE) here: never pretend to be up.
      process.stderr.write(`bench shop could not listen on ${config.host}:${config.port}: ${error.message}\n`);
      process.exit(1);
    }
    logger.info('shop listening', { port: config.port, database: 'sqlite' });
  });
  // Exit on SIGTERM once the server has closed, like the shop; a preload that
  // flushes on exit gets to do so.
  process.on('SIGTERM', () => {
    server.close(() => {
      void dataSource.destroy().finally(() => process.exit(0));
    });
    server.closeAllConnections();
  });
}

main().catch((error) => {
  process.stderr.write(`bench shop failed to start: ${error.stack ?? String(error)}\n`);
  process.exit(1);
});
