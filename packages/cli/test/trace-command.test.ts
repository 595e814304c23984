/** `o4o-otel trace` against fake Jaeger and search node serving recorded answers. */
import { closedUrl, runCli, startFake, type FakeBackend } from './fake-backends';
import { recorded } from './helpers';

const TRACE_ID = 'c18cdd885c597b601df7810058bc4632';
let jaeger: FakeBackend;
let search: FakeBackend;
let env: Record<string, string>;

beforeAll(async () => {
  jaeger = await startFake(({ path }) => (path === `/api/traces/${TRACE_ID}` ? { text: recorded('jaeger-trace.json') } : path.startsWith('/api/traces/') ? { status: 404, json: { data: null, errors: [{ code: 404, msg: 'trace not found' }] } } : undefined));
  search = await startFake(({ method, path }) => (method === 'POST' && path === '/o4o-logs*/_search' ? { text: recorded('search-logs.json') } : undefined));
  env = { O4O_JAEGER_URL: jaeger.url, O4O_SEARCH_URL: search.url };
});
afterAll(async () => {
  await jaeger.close();
  await search.close();
});

// cli-probe  GET /orders/:id        ERROR  route=/orders/:id status=500 order.id=ord-4712
// └─ cli-probe  load order          ERROR  db=sqlite db.op=SELECT table=orders
// then both log records, oldest first, then the Jaeger link.
test('prints the span tree, then the logs in time order, then links; exit 0', async () => {
  const { code, stdout, stderr } = await runCli(['trace', TRACE_ID], env);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const lines = stdout.split('\n');
  expect(lines[0]).toMatch(new RegExp(`^Trace ${TRACE_ID}  .*  2 spans  1 service \\(cli-probe\\)  2 errors$`));
  expect(lines.find((l) => l.startsWith('cli-probe  GET /orders/:id'))).toMatch(/ERROR .*route=\/orders\/:id status=500 order\.id=ord-4712/);
  expect(lines.find((l) => l.startsWith('└─ cli-probe  load order'))).toMatch(/db=sqlite db\.op=SELECT table=orders/);
  const started = lines.findIndex((l) => l.includes('order lookup started'));
  const failed = lines.findIndex((l) => l.includes('order lookup failed'));
  expect(started).toBeGreaterThan(0);
  expect(failed).toBeGreaterThan(started);
  expect(lines[failed]).toMatch(/ERROR\s+cli-probe/);
  expect(stdout).toContain(`Jaeger:  ${jaeger.url}/trace/${TRACE_ID}`);
  // The logs were asked for this trace id only.
  const query = JSON.parse(search.requests.at(-1)!.body) as { query: unknown };
  expect(query.query).toEqual({ match: { trace_id: { query: TRACE_ID, operator: 'and' } } });
}, 30_000);

test('an upper-case id is accepted; a Grafana link is added when O4O_GRAFANA_URL is set', async () => {
  const { code, stdout } = await runCli(['trace', TRACE_ID.toUpperCase()], { ...env, O4O_GRAFANA_URL: 'http://grafana.local:3000' });
  expect(code).toBe(0);
  expect(stdout).toMatch(/^Grafana: http:\/\/grafana\.local:3000\/explore\?schemaVersion=1&orgId=1&panes=.*c18cdd885c597b601df7810058bc4632/m);
});

test('--json: spans, logs and links for scripts', async () => {
  const { code, stdout } = await runCli(['trace', TRACE_ID, '--json'], env);
  expect(code).toBe(0);
  const body = JSON.parse(stdout) as { traceId: string; spans: { operation: string; status: string }[]; logs: { body: string }[]; links: { jaeger: string } };
  expect(body.traceId).toBe(TRACE_ID);
  expect(body.spans.map((s) => [s.operation, s.status]).sort()).toEqual([
    ['GET /orders/:id', 'error'],
    ['load order', 'error'],
  ]);
  expect(body.logs.map((l) => l.body)).toEqual(['order lookup started', 'order lookup failed']);
  expect(body.links.jaeger).toBe(`${jaeger.url}/trace/${TRACE_ID}`);
});

test('a trace Jaeger does not have: exit 1 and one line saying so', async () => {
  const missing = '0af7651916cd43dd8448eb211c80319c';
  const { code, stdout, stderr } = await runCli(['trace', missing], env);
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe(`o4o-otel: trace ${missing} not found in Jaeger at ${jaeger.url} (spans reach Jaeger a few seconds after the request, and stay as long as its storage keeps them)\n`);
});

test('search node down: the spans are still printed, the missing logs are a warning naming it; exit 0', async () => {
  const down = await closedUrl();
  const { code, stdout, stderr } = await runCli(['trace', TRACE_ID], { ...env, O4O_SEARCH_URL: down });
  expect(code).toBe(0);
  expect(stdout).toContain('load order');
  expect(stdout).toContain('Logs (unavailable)');
  expect(stderr).toBe(`o4o-otel: the search node at ${down} is unreachable (connect ECONNREFUSED); start the stack with bash stack/start.sh or set O4O_SEARCH_URL\n`);
});
