/**
 * The shop's entry point. Telemetry comes from the preload:
 *   node --require @o4o/otel/register dist/main.js
 */
import { createLogger } from '@o4o/otel';
import { createApp } from './app';
import { readShopConfig } from './config';
import { createDataSource, seed } from './database';
import { registerShopFigures } from './business-figures';
import { PaymentClient } from './payment-client';
import { startRestock } from './restock';

async function main(): Promise<void> {
  const config = readShopConfig(process.env);
  // The house format: JSON lines with timestamp, level, message, service and
  // environment; sensitive fields are redacted before any transport.
  const logger = createLogger({ service: 'shop-api', environment: config.environment });
  const dataSource = await createDataSource(config).initialize();
  await seed(dataSource);
  const payments = new PaymentClient(config.paymentProviderUrl, config.paymentTimeoutMillis);
  const figures = registerShopFigures(dataSource);
  const app = createApp({ dataSource, payments, logger, figures });
  const stopRestock = startRestock(dataSource, logger, { intervalMillis: config.restockIntervalMillis, below: 10, upTo: 100 });

  const server = app.listen(config.port, config.host, (error?: Error) => {
    if (error) {
      // Express 5 reports listen errors here (EADDRINUSE...): never pretend to be up.
      logger.error('shop could not listen', { port: config.port, error });
      process.exit(1);
    }
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info('shop listening', { port, database: config.databaseUrl ? 'postgres' : 'sqlite' });
    process.stdout.write(`listening ${port}\n`);
  });
  process.on('SIGTERM', () => {
    stopRestock();
    server.close(() => {
      void dataSource.destroy().finally(() => process.exit(0));
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`shop failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
