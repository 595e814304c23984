/**
 * The Prometheus endpoint: the stable HTTP histogram labelled by route template,
 * runtime metrics, bounded series under hostile URLs, and an exposition that
 * promtool accepts.
 */
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { scrapeMetrics, type Sample } from '@o4o/test-utils';
import { startApp, type AppUnderTest } from './helpers';

/** Sends `count` GETs with bounded concurrency over keep-alive connections. */
async function hammer(baseUrl: string, paths: () => string, count: number, concurrency = 32): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          const req = request(`${baseUrl}${paths()}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end();
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return statuses;
}

const seriesKey = (s: Sample): string => `${s.name}{${Object.entries(s.labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}}`;

describe('Prometheus endpoint', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script: 'random-urls.js', env: { OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' } });
  });
  afterAll(() => t.stop());

  test('http.server.request.duration is a histogram in seconds labelled with the route template', async () => {
    await fetch(`${t.app.baseUrl}/products/17`);
    const { text, samples } = await scrapeMetrics(t.metricsUrl);
    expect(text).toContain('# TYPE http_server_request_duration histogram');
    expect(text).toContain('# UNIT http_server_request_duration s');
    const buckets = samples.filter((s) => s.name === 'http_server_request_duration_bucket' && s.labels.http_route === '/products/:id');
    expect(buckets.map((b) => b.labels.le)).toEqual(expect.arrayContaining(['0.5', '1', '1.5', '2', '2.5', '3', '+Inf']));
    const count = samples.find((s) => s.name === 'http_server_request_duration_count' && s.labels.http_route === '/products/:id');
    expect(count?.value).toBe(1);
    expect(count?.labels).toMatchObject({ http_request_method: 'GET', http_response_status_code: '200' });
  });

  test('runtime metrics: event loop delay and utilisation, GC, heap', async () => {
    // GC and heap figures appear once the runtime has something to report.
    await hammer(t.app.baseUrl, () => '/products/1', 200);
    const { samples } = await scrapeMetrics(t.metricsUrl);
    const names = new Set(samples.map((s) => s.name));
    expect(names).toContain('nodejs_eventloop_utilization');
    expect([...names].some((n) => n.startsWith('nodejs_eventloop_delay'))).toBe(true);
    expect([...names].some((n) => n.startsWith('v8js_memory_heap'))).toBe(true);
    expect([...names].some((n) => n.startsWith('v8js_gc_duration'))).toBe(true);
  });

  test('10,000 random unmatched URLs add no series and no raw path to any label', async () => {
    await hammer(t.app.baseUrl, () => '/products/1', 10);
    await hammer(t.app.baseUrl, () => `/random/${randomBytes(6).toString('hex')}`, 1);
    const before = await scrapeMetrics(t.metricsUrl);
    const token = `probe${randomBytes(4).toString('hex')}`;
    const statuses = await hammer(t.app.baseUrl, () => `/${token}/${randomBytes(8).toString('hex')}?q=${randomBytes(4).toString('hex')}`, 10_000);
    expect(statuses.every((s) => s === 404)).toBe(true);

    const after = await scrapeMetrics(t.metricsUrl);
    const httpSeries = (samples: Sample[]): string[] => [...new Set(samples.filter((s) => s.name.startsWith('http_server')).map(seriesKey))].sort();
    expect(httpSeries(after.samples)).toEqual(httpSeries(before.samples));
    expect(after.text).not.toContain(token);
    const unmatched = after.samples.find((s) => s.name === 'http_server_request_duration_count' && s.labels.http_response_status_code === '404');
    expect(unmatched?.labels.http_route).toBeUndefined();
    expect(unmatched!.value).toBeGreaterThanOrEqual(10_000);
  });

  test('promtool check metrics accepts the exposition', async () => {
    const { text } = await scrapeMetrics(t.metricsUrl);
    // promtool exits non-zero on errors; lint warnings about naming are printed and allowed.
    const output = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(output).not.toMatch(/error/i);
  });
});
