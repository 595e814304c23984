/** The Express application: routes wired to the database, the payment provider and the logger. */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from 'winston';
import { createHealthHandler, createHealthRegistry, dataSourceCheck, httpCheck, type BusinessGauges } from '@o4o/otel';
import type { PaymentClient } from './payment-client';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { userRoutes } from './routes/users';

export interface ShopDependencies {
  readonly dataSource: DataSource;
  readonly payments: PaymentClient;
  readonly logger: Logger;
  readonly figures?: BusinessGauges;
}

export function createApp({ dataSource, payments, logger, figures }: ShopDependencies): Express {
  const app = express();
  // Every dependency checked concurrently, each with a timeout; results are also
  // metrics (o4o_health_check_status{check}), so "payment provider down" can alert.
  const health = createHealthRegistry([dataSourceCheck(dataSource), httpCheck('payment', payments.healthUrl, { timeoutMillis: 1500 })]);
  app.use('/health', createHealthHandler(health, { business: figures ? () => figures.latest() : undefined }));
  app.use(express.json());
  app.use(productRoutes(dataSource));
  app.use(userRoutes(dataSource, logger));
  app.use(orderRoutes(dataSource, payments, logger));
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    logger.error('request failed', { error });
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
