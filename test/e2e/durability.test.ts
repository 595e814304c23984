/**
 * Durability: with Jaeger and Elasticsearch down for a minute, the collector
 * queues what it accepted (persistently) and delivers all of it once they are
 * back: spans and logs in equal spans and logs out. And with the collector
 * itself down, the service keeps serving.
 */
import { randomBytes } from 'node:crypto';
import { countLogs, eventually, jaegerSearch } from '../src/backends';
import { startShop, type RunningShop } from '../src/shop';
import { startServices, stopServices } from '../src/stack-control';

const OUTAGE_MILLIS = 60_000;
const REQUESTS_DURING_OUTAGE = 25;

async function register(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `durable-${randomBytes(6).toString('hex')}@example.com`, name: 'Durable', role: 'customer' }),
  });
  expect(response.status).toBe(201);
}

/** Spans of the registration requests (the shop's startup seeding is traced too, and is not counted). */
const spanCount = async (service: string): Promise<number> =>
  (await jaegerSearch(service, {}, 5000)).filter((t) => t.spans.some((s) => s.operationName === 'POST /users')).reduce((n, t) => n + t.spans.length, 0);
/** Log records of the registration requests (not the startup line). */
const logQuery = (service: string): Record<string, unknown> => ({
  bool: { filter: [{ term: { 'resource.attributes.service.name.keyword': service } }, { term: { 'body.keyword': 'user registered' } }] },
});

describe('durability', () => {
  let shop: RunningShop;
  const service = `durability-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // Its own ports: the pipeline suite's shop may still hold 3000/9464.
    shop = await startShop({ serviceName: service, port: 3051, metricsPort: 9551 });
  });
  afterAll(async () => {
    startServices('search', 'jaeger', 'collector');
    await shop.stop();
  });

  test('a one-minute outage of Jaeger and Elasticsearch loses no span and no log record', async () => {
    stopServices('jaeger', 'search');
    try {
      for (let i = 0; i < REQUESTS_DURING_OUTAGE; i++) await register(shop.baseUrl);
      await new Promise((r) => setTimeout(r, OUTAGE_MILLIS));
    } finally {
      startServices('search', 'jaeger');
    }

    // One control request after the outage tells how many spans and log records one
    // registration makes.
    const control = `control-${service}`;
    const controlShop = await startShop({ serviceName: control, port: 3052, metricsPort: 9552 });
    try {
      await register(controlShop.baseUrl);
      const spansPerRequest = await eventually(() => spanCount(control), (n) => n > 0, 'the control request spans');
      await new Promise((r) => setTimeout(r, 3_000));
      const settledSpans = await spanCount(control);
      const logsPerRequest = await eventually(() => countLogs(logQuery(control)), (n) => n > 0, 'the control request logs');
      expect(settledSpans).toBe(spansPerRequest);

      const expectedSpans = REQUESTS_DURING_OUTAGE * spansPerRequest;
      const expectedLogs = REQUESTS_DURING_OUTAGE * logsPerRequest;
      await eventually(() => spanCount(service), (n) => n >= expectedSpans, `${expectedSpans} spans of ${service} in Jaeger`, 180_000);
      await eventually(() => countLogs(logQuery(service)), (n) => n >= expectedLogs, `${expectedLogs} logs of ${service} in Elasticsearch`, 180_000);
      // Delivered exactly: nothing lost, nothing doubled by the retries.
      expect(await spanCount(service)).toBe(expectedSpans);
      expect(await countLogs(logQuery(service))).toBe(expectedLogs);
    } finally {
      await controlShop.stop();
    }
  }, 420_000);

  test('with the collector down the service keeps serving, and exports again once it is back', async () => {
    stopServices('collector');
    try {
      for (let i = 0; i < 20; i++) expect((await fetch(`${shop.baseUrl}/products/${(i % 8) + 1}`)).status).toBe(200);
    } finally {
      startServices('collector');
    }
    const before = await spanCount(service);
    await register(shop.baseUrl);
    await eventually(() => spanCount(service), (n) => n > before, 'spans exported after the collector returned', 120_000);
    expect(shop.shop.child.exitCode).toBeNull();
  }, 300_000);
});
