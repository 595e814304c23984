/** `o4o-otel alerts` against fake Alertmanager, Prometheus and Jaeger serving recorded answers. */
import { closedUrl, runCli, startFake, type FakeBackend } from './fake-backends';
import { recorded } from './helpers';

let alertmanager: FakeBackend;
let prometheus: FakeBackend;
let jaeger: FakeBackend;
let env: Record<string, string>;

beforeAll(async () => {
  alertmanager = await startFake(({ path, query }) => (path === '/api/v2/alerts' && query.get('active') === 'true' && query.get('silenced') === 'false' ? { text: recorded('alertmanager-alerts.json') } : undefined));
  prometheus = await startFake(({ path }) => (path === '/api/v1/query_exemplars' ? { text: recorded('prometheus-exemplars.json') } : undefined));
  jaeger = await startFake(({ path }) => (path === '/api/traces' ? { text: recorded('jaeger-search.json') } : undefined));
  env = { O4O_ALERTMANAGER_URL: alertmanager.url, O4O_PROMETHEUS_URL: prometheus.url, O4O_JAEGER_URL: jaeger.url };
});
afterAll(async () => {
  await alertmanager.close();
  await prometheus.close();
  await jaeger.close();
});

test('a firing alert with example trace ids from the exemplars of its service and route; exit 0', async () => {
  const { code, stdout, stderr } = await runCli(['alerts'], env);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const lines = stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^FIRING {2}CliProbeHighErrorRate {2}critical {2}since \S+ .*service=cli-probe route=\/orders\/:id$/);
  expect(lines[1]).toBe('  More than 5% of GET /orders/:id fail');
  expect(lines.slice(2).every((l) => /^ {2}trace [0-9a-f]{32} {2}\(exemplar\) {2}o4o-otel trace [0-9a-f]{32}$/.test(l))).toBe(true);
  expect(stdout).toContain('c18cdd885c597b601df7810058bc4632');
  const [exemplars] = prometheus.requests;
  expect(exemplars?.query.get('query')).toBe('traces_span_metrics_duration_seconds_bucket{service_name="cli-probe",http_route="/orders/:id"}');
});

test('Prometheus down: examples come from a Jaeger span search, with a warning naming Prometheus', async () => {
  const down = await closedUrl();
  const { code, stdout, stderr } = await runCli(['alerts', '--examples', '1'], { ...env, O4O_PROMETHEUS_URL: down });
  expect(code).toBe(0);
  expect(stdout).toMatch(/^ {2}trace [0-9a-f]{32} {2}\(span search\)/m);
  expect(stderr).toBe(`o4o-otel: Prometheus at ${down} is unreachable (connect ECONNREFUSED); start the stack with bash stack/start.sh or set O4O_PROMETHEUS_URL\n`);
  const search = jaeger.requests.at(-1)!;
  expect(search.query.get('service')).toBe('cli-probe');
  expect(JSON.parse(search.query.get('tags')!)).toEqual({ 'http.route': '/orders/:id' });
});

test('--service filters; no alerts firing is exit 0', async () => {
  const { code, stdout } = await runCli(['alerts', '--service', 'other'], env);
  expect({ code, stdout }).toEqual({ code: 0, stdout: 'No alerts firing.\n' });
});

test('--json: alerts with their examples', async () => {
  const { stdout } = await runCli(['alerts', '--json'], env);
  const body = JSON.parse(stdout) as { alerts: { name: string; service: string; examples: { traceId: string; source: string }[] }[] };
  expect(body.alerts[0]).toMatchObject({ name: 'CliProbeHighErrorRate', service: 'cli-probe' });
  expect(body.alerts[0]!.examples.length).toBeGreaterThan(0);
});
