/** The Express application: routes wired to the database, the payment provider and the logger. */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from 'winston';
import type { PaymentClient } from './payment-client';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { userRoutes } from './routes/users';

export interface ShopDependencies {
  readonly dataSource: DataSource;
  readonly payments: PaymentClient;
  readonly logger: Logger;
}

export function createApp({ dataSource, payments, logger }: ShopDependencies): Express {
  const app = express();
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
