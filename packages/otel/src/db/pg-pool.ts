/** What this package reads from a pg-pool `Pool`: the pool metrics, and the health check through TypeORM's postgres driver (`driver.master`). */
export interface PgPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ending?: boolean;
  readonly ended?: boolean;
  readonly options?: { readonly max?: number; readonly host?: string; readonly port?: number | string; readonly database?: string; readonly connectionString?: string };
}

/** Whether `value` looks like a pg Pool (its counts are numbers). */
export function isPgPool(value: unknown): value is PgPool {
  const pool = value as Partial<PgPool> | null | undefined;
  return typeof pool === 'object' && pool !== null && typeof pool.totalCount === 'number' && typeof pool.idleCount === 'number';
}
