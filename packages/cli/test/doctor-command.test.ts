/** `o4o-otel doctor` against fakes of the whole pipeline: all well, then one backend stopped. */
import { closedUrl, runCli, startFake, type FakeBackend } from './fake-backends';
import { recorded } from './helpers';

const fakes: FakeBackend[] = [];
let env: Record<string, string>;
let serviceMetrics: string;

beforeAll(async () => {
  const start = async (handler: Parameters<typeof startFake>[0]): Promise<string> => {
    const fake = await startFake(handler);
    fakes.push(fake);
    return fake.url;
  };
  env = {
    O4O_COLLECTOR_HEALTH: await start(({ path }) => (path === '/' ? { json: { status: 'Server available', upSince: '2026-01-01T00:00:00Z', uptime: '1m' } } : undefined)),
    O4O_COLLECTOR_METRICS: `${await start(({ path }) => (path === '/metrics' ? { text: recorded('collector-metrics.txt') } : undefined))}/metrics`,
    O4O_PROMETHEUS_URL: await start(({ path }) => (path === '/api/v1/targets' ? { text: recorded('prometheus-targets.json') } : undefined)),
    O4O_JAEGER_URL: await start(({ path }) => (path === '/api/services' ? { text: recorded('jaeger-services.json') } : undefined)),
    O4O_SEARCH_URL: await start(({ path }) => (path === '/' ? { text: recorded('search-info.json') } : path === '/o4o-logs*/_count' ? { json: { count: 6 } } : undefined)),
    O4O_ALERTMANAGER_URL: await start(({ path }) => (path === '/api/v2/status' ? { text: recorded('alertmanager-status.json') } : undefined)),
  };
  serviceMetrics = `${await start(({ path }) => (path === '/metrics' ? { text: recorded('service-metrics.txt') } : undefined))}/metrics`;
});
afterAll(() => Promise.all(fakes.map((f) => f.close())));

test('everything answers and the service is known to Jaeger: every check ok, exit 0', async () => {
  const { code, stdout, stderr } = await runCli(['doctor', '--service-metrics', serviceMetrics], env);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toMatch(/^ok +service telemetry +service\.name=cli-probe .*distro=@o4o\/otel 0\.1\.0/m);
  expect(stdout).toMatch(/^ok +collector health +.*Server available$/m);
  expect(stdout).toMatch(/^ok +collector receiving +accepted over OTLP since start: spans=\d+/m);
  expect(stdout).toMatch(/^ok +Prometheus targets +(\d+)\/\1 up$/m);
  expect(stdout).toMatch(/^ok +service traces +Jaeger has traces from cli-probe$/m);
  expect(stdout).toMatch(/^ok +search node +.*elasticsearch 7\.17\.\d+, 6 log records in o4o-logs\*$/m);
  expect(stdout).toMatch(/^ok +Alertmanager +.*version 0\.25\.0/m);
  expect(stdout.trimEnd().split('\n').at(-1)).toBe('No problems found.');
});

test('a stopped backend is reported by name and URL with its fix; exit 1', async () => {
  const down = await closedUrl();
  const { code, stdout } = await runCli(['doctor'], { ...env, O4O_SEARCH_URL: down });
  expect(code).toBe(1);
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('FAIL  search node'));
  expect(lines[at]).toMatch(new RegExp(`^FAIL  search node +the search node at ${down} is unreachable \\(connect ECONNREFUSED\\)$`));
  expect(lines[at + 1]).toMatch(/^ +fix: start the stack with bash stack\/start\.sh or set O4O_SEARCH_URL$/);
  expect(stdout).toMatch(/^skip +service telemetry +pass --service-metrics/m);
  expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 problem found.');
});

test('a service whose traces never reached Jaeger; --json for scripts', async () => {
  const { code, stdout } = await runCli(['doctor', '--service-metrics', serviceMetrics, '--service-name', 'shop-api', '--json'], env);
  expect(code).toBe(1);
  const body = JSON.parse(stdout) as { ok: boolean; problems: number; checks: { name: string; status: string; fix?: string }[] };
  expect(body.ok).toBe(false);
  expect(body.checks.filter((c) => c.status === 'problem').map((c) => c.name)).toEqual(['service name', 'service traces']);
  expect(body.checks.find((c) => c.name === 'service name')?.fix).toContain('OTEL_SERVICE_NAME=shop-api');
});
