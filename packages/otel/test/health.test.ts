/**
 * /health and /health/detailed of a service on a real PostgreSQL: healthy while
 * it runs, 503 naming the database check once it is stopped, healthy again when
 * it is back; the health metrics follow, and so does a failing payment provider.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scrapeMetrics, startPostgres, type PostgresServer, type Sample } from '@o4o/test-utils';
import { startApp, type AppUnderTest } from './helpers';

const TOKEN = 'health-token-for-tests-only';

interface CheckBody {
  name: string;
  status: string;
  responseTimeMs: number;
  error?: string;
  errorMessage?: string;
}
interface HealthBody {
  status: string;
  checks: CheckBody[];
}

async function getHealth(baseUrl: string, path = '/health', headers: Record<string, string> = {}): Promise<{ status: number; body: HealthBody & Record<string, unknown>; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as HealthBody & Record<string, unknown>, text };
}

const checkStatus = (samples: Sample[], check: string): number | undefined =>
  samples.find((s) => s.name === 'o4o_health_check_status' && s.labels.check === check)?.value;

describe('health endpoints on PostgreSQL', () => {
  let pg: PostgresServer;
  let t: AppUnderTest;
  let payment: Server;
  let paymentStatus = 200;

  beforeAll(async () => {
    pg = await startPostgres();
    payment = createServer((_req, res) => res.writeHead(paymentStatus).end());
    await new Promise<void>((resolve) => payment.listen(0, '127.0.0.1', resolve));
    const paymentUrl = `http://127.0.0.1:${(payment.address() as AddressInfo).port}/status`;
    t = await startApp({
      script: 'health-app.js',
      // Cache off: these tests change a dependency and expect the very next probe to see it.
      env: { DATABASE_URL: pg.url, PAYMENT_URL: paymentUrl, O4O_OTEL_HEALTH_TOKEN: TOKEN, O4O_OTEL_HEALTH_CACHE_MS: '0', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => payment?.close(resolve));
    pg?.destroy();
  });

  test('200 while every dependency answers, each check with status and response time', async () => {
    const { status, body } = await getHealth(t.app.baseUrl);
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.checks.map((c) => c.name).sort()).toEqual(['database', 'payment', 'redis', 'storage']);
    for (const check of body.checks) {
      expect(check.status).toBe('healthy');
      expect(typeof check.responseTimeMs).toBe('number');
    }
    const { samples } = await scrapeMetrics(t.metricsUrl);
    expect(checkStatus(samples, 'database')).toBe(1);
    expect(checkStatus(samples, 'payment')).toBe(1);
    expect(samples.some((s) => s.name === 'o4o_health_check_duration' && s.labels.check === 'database')).toBe(true);
  });

  test('/health/detailed is closed to anonymous callers and open with the token', async () => {
    expect((await getHealth(t.app.baseUrl, '/health/detailed')).status).toBe(401);
    expect((await getHealth(t.app.baseUrl, '/health/detailed', { authorization: 'Bearer wrong-token-of-some-length' })).status).toBe(401);
    const { status, body } = await getHealth(t.app.baseUrl, '/health/detailed', { authorization: `Bearer ${TOKEN}` });
    expect(status).toBe(200);
    expect(body.application).toMatchObject({ version: '1.4.2', environment: 'test' });
    expect(body.application).toHaveProperty('memory.heapUsed');
    expect(body.application).toHaveProperty('cpu.user');
    expect(body.database).toMatchObject({ status: 'healthy', pool: { max: 4 } });
    expect(body.business).toEqual({ activeOrders: 2, outOfStockProducts: 1 });
  });

  test('503 naming the database check once PostgreSQL stops; the metric drops to 0; back to 200 when it returns', async () => {
    pg.stop();
    const down = await getHealth(t.app.baseUrl);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unhealthy');
    const database = down.body.checks.find((c) => c.name === 'database')!;
    expect(database.status).toBe('unhealthy');
    expect(database.error).toMatch(/^[A-Za-z0-9_.-]+$/);
    // The anonymous view names the failing check but shows no hosts, ports or messages.
    expect(database.errorMessage).toBeUndefined();
    expect(down.text).not.toContain(String(pg.port));
    expect(down.body.checks.filter((c) => c.status === 'unhealthy').map((c) => c.name)).toEqual(['database']);

    const { samples } = await scrapeMetrics(t.metricsUrl);
    expect(checkStatus(samples, 'database')).toBe(0);
    expect(checkStatus(samples, 'payment')).toBe(1);

    pg.start();
    let up = await getHealth(t.app.baseUrl);
    for (let i = 0; i < 20 && up.status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      up = await getHealth(t.app.baseUrl);
    }
    expect(up.status).toBe(200);
    const after = await scrapeMetrics(t.metricsUrl);
    expect(checkStatus(after.samples, 'database')).toBe(1);
  });

  test('a failing payment provider is a critical check: 503 and o4o_health_check_status{check="payment"} 0', async () => {
    paymentStatus = 503;
    try {
      const { status, body } = await getHealth(t.app.baseUrl);
      expect(status).toBe(503);
      expect(body.checks.find((c) => c.name === 'payment')).toMatchObject({ status: 'unhealthy', error: 'http_503' });
      const { samples } = await scrapeMetrics(t.metricsUrl);
      expect(checkStatus(samples, 'payment')).toBe(0);
    } finally {
      paymentStatus = 200;
    }
  });
});
