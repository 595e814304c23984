/**
 * Database metrics on the Prometheus endpoint, from a real PostgreSQL pool:
 * query time (db.client.operation.duration) and pool usage (connections by
 * state, requests waiting, maximum), each series once, accepted by promtool.
 * Connections by state are `db.client.connections.usage`: see db/metric-names.ts
 * for why not `db.client.connection.count`.
 */
import { execFileSync } from 'node:child_process';
import { scrapeMetrics, startPostgres, type PostgresServer } from '@o4o/test-utils';
import type { AppUnderTest } from './helpers';
import { startOrdersApp } from './db-helpers';

describe('database metrics (PostgreSQL, pool of 3)', () => {
  let postgres: PostgresServer;
  let t: AppUnderTest;
  beforeAll(async () => {
    postgres = await startPostgres();
    t = await startOrdersApp({ databaseUrl: postgres.url, env: { POOL_SIZE: '3', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' } });
    const statuses = await Promise.all(Array.from({ length: 20 }, async (_, i) => (await fetch(`${t.app.baseUrl}/busy/${i}`)).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
  afterAll(async () => {
    await t?.stop();
    postgres?.destroy();
  });

  const poolName = (): string => `127.0.0.1:${postgres.port}/${postgres.database}`;

  test('db.client.operation.duration: a histogram in seconds by operation, with buckets for millisecond queries', async () => {
    const { text, samples } = await scrapeMetrics(t.metricsUrl);
    expect(text).toContain('# TYPE db_client_operation_duration histogram');
    expect(text).toContain('# UNIT db_client_operation_duration s');
    const selects = samples.find((s) => s.name === 'db_client_operation_duration_count' && s.labels.db_operation_name === 'SELECT');
    // Per request: findOneBy, the raw SELECT, count.
    expect(selects?.value).toBe(60);
    expect(selects?.labels).toMatchObject({ db_system_name: 'postgresql', db_namespace: postgres.database });
    const buckets = samples.filter((s) => s.name === 'db_client_operation_duration_bucket' && s.labels.db_operation_name === 'SELECT').map((s) => s.labels.le);
    expect(buckets).toEqual(expect.arrayContaining(['0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '+Inf']));
  });

  test('pool usage: connections by state, pending requests and the maximum, once per pool', async () => {
    const { text, samples } = await scrapeMetrics(t.metricsUrl);
    const series = (name: string): typeof samples => samples.filter((s) => s.name === name);
    const count = series('db_client_connections_usage');
    expect(count.map((s) => s.labels.db_client_connection_state).sort()).toEqual(['idle', 'used']);
    expect(count.every((s) => s.labels.db_client_connection_pool_name === poolName())).toBe(true);
    // Idle after the burst: the pool opened up to its maximum, and nothing is in use now.
    const idle = count.find((s) => s.labels.db_client_connection_state === 'idle')!.value;
    expect(idle).toBeGreaterThanOrEqual(1);
    expect(idle).toBeLessThanOrEqual(3);
    expect(count.find((s) => s.labels.db_client_connection_state === 'used')!.value).toBe(0);
    expect(series('db_client_connection_max')).toEqual([{ name: 'db_client_connection_max', labels: { db_client_connection_pool_name: poolName() }, value: 3 }]);
    expect(series('db_client_connection_pending_requests')).toEqual([{ name: 'db_client_connection_pending_requests', labels: { db_client_connection_pool_name: poolName() }, value: 0 }]);
    // One metric family each: instrumentation-pg's own pool instruments are dropped.
    expect(text).not.toContain('db_client_connection_count');
    for (const name of ['db_client_connections_usage', 'db_client_connection_max', 'db_client_connection_pending_requests']) {
      expect(text.split('\n').filter((l) => l.startsWith(`# TYPE ${name} `))).toHaveLength(1);
    }
  });

  test('promtool check metrics accepts the exposition', async () => {
    const { text } = await scrapeMetrics(t.metricsUrl);
    expect(text).toContain('db_client_connections_usage');
    // promtool exits non-zero on errors; lint warnings about naming are printed and allowed.
    const output = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(output).not.toMatch(/error/i);
  });
});
