/** The DataSource: PostgreSQL when DATABASE_URL says so, embedded SQLite otherwise. */
import { DataSource } from 'typeorm';
import type { ShopConfig } from './config';
import { ENTITIES, ProductEntity, UserEntity, type Product, type User } from './entities';

export function createDataSource(config: ShopConfig): DataSource {
  if (config.databaseUrl) {
    return new DataSource({ type: 'postgres', url: config.databaseUrl, entities: ENTITIES, synchronize: true, extra: { max: 10 } });
  }
  return new DataSource({ type: 'better-sqlite3', database: config.sqlitePath, entities: ENTITIES, synchronize: true });
}

const CATALOGUE: Omit<Product, 'id' | 'restockable'>[] = [
  { name: 'Organic green tea', category: 'food', price: 12000, stock: 200 },
  { name: 'Ceramic mug', category: 'kitchen', price: 18000, stock: 120 },
  { name: 'Bamboo cutting board', category: 'kitchen', price: 32000, stock: 60 },
  { name: 'Linen apron', category: 'kitchen', price: 27000, stock: 40 },
  { name: 'Cold brew coffee', category: 'food', price: 9000, stock: 300 },
  { name: 'Hand cream', category: 'beauty', price: 15000, stock: 25 },
  { name: 'Limited edition teapot', category: 'kitchen', price: 89000, stock: 5 },
  { name: 'Travel tumbler', category: 'kitchen', price: 24000, stock: 80 },
];

/** Fills an empty database with a catalogue and a few users of each role. */
export async function seed(dataSource: DataSource): Promise<void> {
  const products = dataSource.getRepository<Product>(ProductEntity);
  if ((await products.count()) > 0) return;
  await products.save(CATALOGUE.map((p) => products.create({ ...p, restockable: !p.name.startsWith('Limited') })));
  const users = dataSource.getRepository<User>(UserEntity);
  const roles = ['customer', 'customer', 'customer', 'business', 'affiliate', 'admin'] as const;
  await users.save(roles.map((role, i) => users.create({ email: `${role}${i}@example.com`, name: `${role} ${i}`, role })));
}
