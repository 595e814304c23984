/**
 * Database-derived business figures for the gauges (stock, active orders and
 * users), read when metrics are collected; @o4o/otel bounds each read with a
 * timeout and serves the last figures if the database is slow.
 */
import { MoreThan, type DataSource } from 'typeorm';
import { registerBusinessGauges, type BusinessGauges } from '@o4o/otel';
import { OrderEntity, ProductEntity, type Order, type Product } from './entities';

export const LOW_STOCK_THRESHOLD = 10;
const ACTIVE_WINDOW_MILLIS = 15 * 60 * 1000;

export function registerShopFigures(dataSource: DataSource): BusinessGauges {
  const products = dataSource.getRepository<Product>(ProductEntity);
  const orders = dataSource.getRepository<Order>(OrderEntity);
  return registerBusinessGauges(
    async () => {
      const since = new Date(Date.now() - ACTIVE_WINDOW_MILLIS);
      const [outOfStockProducts, lowStockProducts, activeOrders, activeUsers] = await Promise.all([
        products.countBy({ stock: 0 }),
        products.createQueryBuilder('p').where('p.stock > 0 AND p.stock < :threshold', { threshold: LOW_STOCK_THRESHOLD }).getCount(),
        orders.countBy({ status: 'pending' }),
        orders.createQueryBuilder('o').select('COUNT(DISTINCT o.userId)', 'users').where({ createdAt: MoreThan(since) }).getRawOne<{ users: string | number }>(),
      ]);
      return { outOfStockProducts, lowStockProducts, activeOrders, activeUsers: Number(activeUsers?.users ?? 0) };
    },
    { timeoutMillis: 1000 },
  );
}
