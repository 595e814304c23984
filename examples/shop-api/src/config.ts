/** The shop's settings, read once from the environment. */
export interface ShopConfig {
  readonly port: number;
  readonly host: string;
  /** `postgres://...` selects PostgreSQL; otherwise an SQLite file (":memory:" allowed). */
  readonly databaseUrl: string | undefined;
  readonly sqlitePath: string;
  readonly paymentProviderUrl: string;
  readonly paymentTimeoutMillis: number;
  readonly environment: string;
  /** SHOP_RESTOCK_INTERVAL_MS: how often low stock is refilled; 0 turns the job off. */
  readonly restockIntervalMillis: number;
}

function integer(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function readShopConfig(env: Readonly<Record<string, string | undefined>>): ShopConfig {
  return Object.freeze({
    port: integer(env.PORT, 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL?.startsWith('postgres') ? env.DATABASE_URL : undefined,
    sqlitePath: env.SQLITE_PATH ?? ':memory:',
    paymentProviderUrl: env.PAYMENT_PROVIDER_URL ?? 'http://127.0.0.1:3100',
    paymentTimeoutMillis: integer(env.PAYMENT_TIMEOUT_MS, 3000),
    environment: env.NODE_ENV ?? 'development',
    restockIntervalMillis: integer(env.SHOP_RESTOCK_INTERVAL_MS, 10_000),
  });
}
