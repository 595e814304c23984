/**
 * Built-in health checks for the platform's dependencies. Each library is
 * duck-typed, never imported: a service passes its own DataSource, Redis client
 * or URL, and this package loads none of them.
 */
import { randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HealthCheck, HealthDetails } from './types';
import { isPgPool } from '../db/pg-pool';

export interface CheckOptions {
  /** Overrides the check's default name. */
  readonly name?: string;
  /** @default 2000 */
  readonly timeoutMillis?: number;
  /** @default true */
  readonly critical?: boolean;
}

/** The part of a TypeORM DataSource (0.3 or 1.x) the database check uses. */
export interface QueryableDataSource {
  readonly isInitialized?: boolean;
  query(sql: string): Promise<unknown>;
  readonly driver?: unknown;
}

/** Pool figures of TypeORM's postgres driver (a `pg` Pool as `driver.master`), when it has one. */
export function poolStatus(dataSource: QueryableDataSource): HealthDetails | undefined {
  const pool = (dataSource.driver as { master?: unknown } | undefined)?.master;
  if (!isPgPool(pool)) return undefined;
  const total = pool.totalCount;
  const idle = pool.idleCount;
  return {
    total,
    idle,
    active: total - idle,
    waiting: typeof pool.waitingCount === 'number' ? pool.waitingCount : undefined,
    max: typeof pool.options?.max === 'number' ? pool.options.max : undefined,
  };
}

function base(options: CheckOptions, name: string): Pick<HealthCheck, 'name' | 'timeoutMillis' | 'critical'> {
  return { name: options.name ?? name, timeoutMillis: options.timeoutMillis, critical: options.critical };
}

/** `SELECT 1` through a TypeORM DataSource; reports pool sizes in the detailed view. Named `database`. */
export function dataSourceCheck(dataSource: QueryableDataSource, options: CheckOptions = {}): HealthCheck {
  return {
    ...base(options, 'database'),
    run: async () => {
      if (dataSource.isInitialized === false) throw Object.assign(new Error('DataSource is not initialized'), { code: 'not_initialized' });
      await dataSource.query('SELECT 1');
      const pool = poolStatus(dataSource);
      return pool === undefined ? undefined : { pool };
    },
  };
}

export interface HttpCheckOptions extends CheckOptions {
  /** Status codes that count as healthy. @default any 2xx */
  readonly expectStatus?: readonly number[];
  /** Request headers, e.g. an API key of the provider's status endpoint. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A GET to an HTTP dependency (the payment provider's status URL), cancelled at the timeout. */
export function httpCheck(name: string, url: string | URL, options: HttpCheckOptions = {}): HealthCheck {
  return {
    ...base(options, name),
    run: async (signal) => {
      const response = await fetch(url, { method: 'GET', headers: { ...options.headers }, signal, redirect: 'manual' });
      // Drain the body so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      const ok = options.expectStatus ? options.expectStatus.includes(response.status) : response.status >= 200 && response.status < 300;
      if (!ok) throw Object.assign(new Error(`answered HTTP ${response.status}`), { code: `http_${response.status}` });
      return { httpStatus: response.status };
    },
  };
}

/** The part of a Redis client (node-redis 4+, ioredis) the check uses. */
export interface PingableClient {
  ping(): Promise<unknown>;
}

/** `PING` through a Redis client. Named `redis`. */
export function redisCheck(client: PingableClient, options: CheckOptions = {}): HealthCheck {
  return {
    ...base(options, 'redis'),
    run: async () => {
      const answer = await client.ping();
      if (answer !== 'PONG' && answer !== true) throw Object.assign(new Error('PING was not answered with PONG'), { code: 'unexpected_reply' });
    },
  };
}

/** Writes and removes a small file in `directory` (uploads, exports). Named `storage`. */
export function storageCheck(directory: string, options: CheckOptions = {}): HealthCheck {
  return {
    ...base(options, 'storage'),
    run: async (signal) => {
      const file = join(directory, `.o4o-health-${process.pid}-${randomBytes(4).toString('hex')}`);
      await writeFile(file, 'ok', { signal });
      await unlink(file);
    },
  };
}
