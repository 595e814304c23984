/** `o4o-otel find` against a fake Jaeger: the query it sends, the table, empty results. */
import { runCli, startFake, type FakeBackend } from './fake-backends';
import { recorded } from './helpers';

let jaeger: FakeBackend;

beforeAll(async () => {
  jaeger = await startFake(({ path, query }) => {
    if (path === '/api/services') return { text: recorded('jaeger-services.json') };
    if (path !== '/api/traces') return undefined;
    const tags = JSON.parse(query.get('tags') ?? '{}') as Record<string, string>;
    const match = query.get('service') === 'cli-probe' && (tags['order.id'] === undefined || tags['order.id'] === 'ord-4711');
    return match ? { text: recorded('jaeger-search.json') } : { json: { data: [], total: 0, limit: 0, offset: 0, errors: null } };
  });
});
afterAll(() => jaeger.close());

test('--attr order.id=...: every service is searched, the matching trace is listed; exit 0', async () => {
  const { code, stdout, stderr } = await runCli(['find', '--attr', 'order.id=ord-4711'], { O4O_JAEGER_URL: jaeger.url });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const [header, ...rows] = stdout.trimEnd().split('\n');
  expect(header).toMatch(/^STARTED \(UTC\)\s+TRACE ID\s+DURATION\s+SPANS\s+ERRORS\s+ROOT\s+ATTRIBUTES$/);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(/ 95332f4370b4f509aed0cc96f2076858 {2}.*cli-probe {2}GET \/orders\/:id {2}status=200 order\.id=ord-4711$/);
  const searches = jaeger.requests.filter((r) => r.path === '/api/traces');
  expect(searches.map((r) => r.query.get('service')).sort()).toEqual(JSON.parse(recorded('jaeger-services.json')).data.sort());
  expect(JSON.parse(searches[0]!.query.get('tags')!)).toEqual({ 'order.id': 'ord-4711' });
});

test('service, operation, errors, minimum duration and window become Jaeger query parameters', async () => {
  jaeger.requests.length = 0;
  const before = Date.now();
  await runCli(['find', '-s', 'cli-probe', '-o', 'GET /orders/:id', '--errors', '--min-duration', '1.5s', '--since', '2h', '--limit', '5'], { O4O_JAEGER_URL: jaeger.url });
  const [search] = jaeger.requests;
  expect(search?.path).toBe('/api/traces');
  // --errors filters the results (Jaeger v2 cannot search by status), over a wider search.
  expect(Object.fromEntries(search!.query)).toMatchObject({ service: 'cli-probe', operation: 'GET /orders/:id', minDuration: '1500000us', limit: '200' });
  expect(search!.query.get('tags')).toBeNull();
  const start = Number(search!.query.get('start'));
  const end = Number(search!.query.get('end'));
  expect(end - start).toBe(2 * 3_600_000_000);
  expect(end).toBeGreaterThanOrEqual(before * 1_000);
  expect(jaeger.requests.some((r) => r.path === '/api/services')).toBe(false);
});

test('--errors keeps only traces with a failed span', async () => {
  const { code, stderr } = await runCli(['find', '--service', 'cli-probe', '--errors'], { O4O_JAEGER_URL: jaeger.url });
  // The recorded search answer holds one successful trace only.
  expect(code).toBe(1);
  expect(stderr).toMatch(/^o4o-otel: no traces match service=cli-probe, errors only, in the last 1h/);
});

test('--json lists the traces for scripts', async () => {
  const { code, stdout } = await runCli(['find', '--service', 'cli-probe', '--json', '--sort', 'duration'], { O4O_JAEGER_URL: jaeger.url });
  expect(code).toBe(0);
  const body = JSON.parse(stdout) as { traces: { traceId: string; durationMicros: number; rootService: string }[] };
  expect(body.traces.map((t) => t.traceId)).toContain('95332f4370b4f509aed0cc96f2076858');
  expect(body.traces.every((t, i, all) => i === 0 || all[i - 1]!.durationMicros >= t.durationMicros)).toBe(true);
});

test('no match: exit 1, one line saying what was searched; --json still prints an empty list', async () => {
  const { code, stdout, stderr } = await runCli(['find', '--attr', 'order.id=nope'], { O4O_JAEGER_URL: jaeger.url });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe(`o4o-otel: no traces match order.id=nope, in the last 1h (searched 2 services in Jaeger at ${jaeger.url})\n`);
  const json = await runCli(['find', '--attr', 'order.id=nope', '--json'], { O4O_JAEGER_URL: jaeger.url });
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout).traces).toEqual([]);
});
