/**
 * Every panel query of every generated dashboard against the real Prometheus
 * of the local stack, after the example shop ran under the preload with
 * traffic (on PostgreSQL, so the pool metrics exist too). Variables are set to
 * this run's service and environment, so a panel only passes on data this run
 * sent. A query fails when Prometheus cannot parse or run it, or when it
 * returns no series; the few panels whose data cannot exist in a short healthy
 * run are listed below with the reason, and must still parse and run.
 *
 * Needs the stack started with alerting/rules/ present (stack/start.sh renders
 * and loads alerting/rules/*.yml): many panels read recording rules.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { allDashboards, panelQueries, TEST_VARIABLES, type PanelQuery } from '@o4o/dashboards';
import { startPostgres, type PostgresServer } from '@o4o/test-utils';
import { eventually, prometheus } from '../src/backends';
import { startShop, SHOP_DIR, type RunningShop } from '../src/shop';
import { STACK } from '../src/stack';

const RUN = randomBytes(4).toString('hex');
const SERVICE = `dash-${RUN}`;
/** test/src/shop.ts starts the shop with deployment.environment.name=e2e. */
const ENVIRONMENT = 'e2e';

/** Panels that a healthy, short run cannot fill, and why. Keyed "dashboard uid / panel title / refId". */
const NO_DATA_EXPECTED: Readonly<Record<string, string>> = {
  'o4o-pipeline / Failed to send or enqueue per second / A': 'the collector creates its send_failed counters on the first failed export; a healthy run has none',
  'o4o-pipeline / Failed to send or enqueue per second / B': 'the collector creates its enqueue_failed counters when a queue first overflows; a healthy run has none',
};

const key = (q: PanelQuery): string => `${q.dashboard} / ${q.panel} / ${q.refId}`;
const queries = Object.values(allDashboards()).flatMap((d) => panelQueries(d, { ...TEST_VARIABLES, service: SERVICE, environment: ENVIRONMENT }));

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { result: unknown[] };
}

async function runQuery(expr: string): Promise<QueryAnswer> {
  const response = await fetch(`${STACK.prometheus}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as QueryAnswer;
}

const answers = new Map<string, QueryAnswer>();
let postgres: PostgresServer;
let shop: RunningShop;

beforeAll(async () => {
  const groups = (await prometheus.rules('record')).map((g) => g.name);
  if (!groups.includes('o4o-service-recording')) {
    throw new Error(`Prometheus at ${STACK.prometheus} has not loaded alerting/rules/*.yml (groups: ${groups.join(', ') || 'none'}); restart it with stack/start.sh`);
  }

  postgres = await startPostgres({ database: 'shop' });
  // The collector scrapes 127.0.0.1:9464 and probes 127.0.0.1:3000/health; a
  // collector configured for other ports takes O4O_SHOP_PORT/O4O_SHOP_METRICS_PORT.
  shop = await startShop({
    serviceName: SERVICE,
    port: Number(process.env.O4O_SHOP_PORT ?? 3000),
    metricsPort: Number(process.env.O4O_SHOP_METRICS_PORT ?? 9464),
    env: { DATABASE_URL: postgres.url },
  });
  const { driveTraffic } = require(resolve(SHOP_DIR, 'dist/traffic.js')) as { driveTraffic: (url: string, seconds: number, rate: number) => Promise<{ requests: number }> };
  const summary = await driveTraffic(shop.baseUrl, 45, 15);
  expect(summary.requests).toBeGreaterThan(100);

  // Scrape (15 s), remote write, recording rules (15 s) and 5-minute windows
  // need a while: poll until every panel that should have data has it.
  const pending = (): PanelQuery[] => queries.filter((q) => !(key(q) in NO_DATA_EXPECTED) && !((answers.get(key(q))?.data?.result.length ?? 0) > 0));
  await eventually(
    async () => {
      for (const q of pending()) answers.set(key(q), await runQuery(q.expr));
      return pending().map(key);
    },
    (left) => left.length === 0,
    'data in every panel',
    150_000,
  ).catch(() => undefined); // each test below names its own panel
  for (const q of queries) if (!answers.has(key(q))) answers.set(key(q), await runQuery(q.expr));
}, 400_000);

afterAll(async () => {
  await shop?.stop();
  postgres?.destroy();
});

test('there is something to check: all five dashboards, over 50 queries', () => {
  expect(new Set(queries.map((q) => q.dashboard)).size).toBe(5);
  expect(queries.length).toBeGreaterThan(50);
});

test.each(queries.map((q) => [key(q), q] as const))('%s', (name, q) => {
  const answer = answers.get(name);
  expect({ query: q.expr, status: answer?.status, error: answer?.error }).toEqual({ query: q.expr, status: 'success', error: undefined });
  if (name in NO_DATA_EXPECTED) return;
  expect({ query: q.expr, series: answer?.data?.result.length ?? 0 }).toEqual({ query: q.expr, series: expect.any(Number) });
  expect(answer?.data?.result.length).toBeGreaterThan(0);
});

test('the service and environment variables offer this run', async () => {
  const values = (label: string): Promise<string[]> => prometheus.labelValues(label, 'o4o:target:identity');
  expect(await values('service_name')).toContain(SERVICE);
  expect(await values('deployment_environment_name')).toContain(ENVIRONMENT);
});

test('every O4O recording and alert rule evaluates without error on the real data', async () => {
  const rules = (await prometheus.rules()).filter((g) => g.name.startsWith('o4o-')).flatMap((g) => g.rules);
  expect(rules.length).toBeGreaterThan(25);
  expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
});
