/**
 * The scrape endpoint's HTTP side, in process: what the exporter it replaces
 * answered (200 text/plain on /metrics, 404 elsewhere, 400 for a URL it
 * cannot parse), OpenMetrics on request, a listen error reported rather than
 * thrown, and a shutdown that closes the port.
 */
import { request } from 'node:http';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { freePort } from '@o4o/test-utils';
import { ScrapeEndpoint } from '../src/scrape/endpoint';

function get(port: number, path: string, accept?: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: accept === undefined ? {} : { accept } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('scrape endpoint', () => {
  let port: number;
  let endpoint: ScrapeEndpoint;
  let provider: MeterProvider;
  beforeAll(async () => {
    port = await freePort();
    endpoint = new ScrapeEndpoint({ host: '127.0.0.1', port, path: '/metrics', cardinalityLimit: 2000 });
    provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'svc' }), readers: [endpoint] });
    provider.getMeter('m').createCounter('jobs.done').add(4, { queue: 'mail' });
    await endpoint.start();
  });
  afterAll(() => provider.shutdown());

  test('/metrics: the Prometheus text format by default, OpenMetrics when asked; other paths 404', async () => {
    const text = await get(port, '/metrics');
    expect(text).toMatchObject({ status: 200, contentType: 'text/plain' });
    expect(text.body).toContain('# TYPE jobs_done_total counter\njobs_done_total{queue="mail"} 4');
    const om = await get(port, '/metrics?x=1', 'application/openmetrics-text;version=1.0.0');
    expect(om).toMatchObject({ status: 200, contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
    expect(om.body).toContain('# TYPE jobs_done counter\n');
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    expect((await get(port, '/other')).status).toBe(404);
    expect((await get(port, '//[')).status).toBe(400);
  });

  test('a port already taken is a rejected start, not an exception', async () => {
    const second = new ScrapeEndpoint({ host: '127.0.0.1', port, path: '/metrics', cardinalityLimit: 2000 });
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
  });

  test('shutdown closes the port', async () => {
    await provider.shutdown();
    await expect(get(port, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
  });
});
