/**
 * o4o-otel against the real local stack (bash stack/start.sh): a fixture order
 * service under the preload exports through the o4o collector into Jaeger and
 * the search node; the CLI then finds its trace, spans and logs, lists an alert
 * posted to the real Alertmanager, and doctor names a backend that was stopped.
 *
 *   cli-e2e-<run>  GET /orders/:id        ERROR  route=/orders/:id status=500 order.id=<order>
 *   └─ cli-e2e-<run>  load order          ERROR  db=sqlite db.op=SELECT table=orders
 *   logs: "order lookup started" (INFO), "order lookup failed" (ERROR)
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort, runFixture, type Fixture } from '@o4o/test-utils';
import { alertmanager, requireStack } from '../src/backends';
import { STACK } from '../src/stack';
import { o4oOtel, type CliRun } from '../src/o4o-cli';

const REPO = resolve(__dirname, '../..');
const CLI_DIR = resolve(REPO, 'packages/cli');
const RUN = randomBytes(4).toString('hex');
const SERVICE = `cli-e2e-${RUN}`;
const ORDER_ID = `ord-${RUN}`;


function bash(script: string, ...args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile('bash', [resolve(REPO, script), ...args], { cwd: REPO, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Retries `attempt` until `done` holds: spans and logs take seconds to be searchable. */
async function eventually(attempt: () => Promise<CliRun>, done: (run: CliRun) => boolean, timeoutMillis = 60_000): Promise<CliRun> {
  const deadline = Date.now() + timeoutMillis;
  let run = await attempt();
  while (!done(run) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    run = await attempt();
  }
  return run;
}


let app: Fixture;
let metricsPort: number;
let traceId: string;

beforeAll(async () => {
  await requireStack('collector', 'jaeger', 'search', 'alertmanager');
  metricsPort = await freePort();
  app = await runFixture({
    script: resolve(CLI_DIR, 'test/fixtures/order-app.js'),
    cwd: CLI_DIR,
    preload: { flag: '--require', module: '@o4o/otel/register' },
    env: {
      OTEL_SERVICE_NAME: SERVICE,
      OTEL_EXPORTER_OTLP_ENDPOINT: STACK.collectorOtlpHttp,
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
    },
  });
  const response = await fetch(`${app.baseUrl}/orders/${ORDER_ID}?fail=1`, { signal: AbortSignal.timeout(10_000) });
  expect(response.status).toBe(500);
  const match = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(response.headers.get('traceresponse') ?? '');
  if (!match) throw new Error(`no traceresponse header from the fixture: ${JSON.stringify([...response.headers])}`);
  traceId = match[1]!;
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

test('trace: the fixture request is printed as a span tree followed by its logs', async () => {
  const json = await eventually(
    () => o4oOtel('trace', traceId, '--json'),
    (run) => run.code === 0 && (JSON.parse(run.stdout) as { logs: unknown[] | null; spans: unknown[] }).logs?.length === 2 && JSON.parse(run.stdout).spans.length === 2,
  );
  expect(json.code).toBe(0);

  const { code, stdout, stderr } = await o4oOtel('trace', traceId);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const lines = stdout.split('\n');
  expect(lines[0]).toMatch(new RegExp(`^Trace ${traceId} .* 2 spans {2}1 service \\(${SERVICE}\\) {2}2 errors$`));
  const root = lines.findIndex((l) => l.startsWith(`${SERVICE}  GET /orders/:id`));
  expect(lines[root]).toMatch(new RegExp(`ERROR .*route=/orders/:id status=500 order\\.id=${ORDER_ID}`));
  expect(lines[root + 1]).toMatch(new RegExp(`^└─ ${SERVICE} {2}load order .*ERROR .*db=sqlite db\\.op=SELECT table=orders`));
  const started = lines.findIndex((l) => /INFO +cli-e2e-\w+ +[0-9a-f]{8} +order lookup started/.test(l));
  const failed = lines.findIndex((l) => /ERROR +cli-e2e-\w+ +[0-9a-f]{8} +order lookup failed/.test(l));
  expect(started).toBeGreaterThan(root);
  expect(failed).toBeGreaterThan(started);
  expect(stdout).toContain(`Jaeger:  ${STACK.jaeger}/trace/${traceId}`);
}, 90_000);

test('trace: an id the real Jaeger does not have is exit 1', async () => {
  const absent = randomBytes(16).toString('hex');
  const { code, stderr } = await o4oOtel('trace', absent);
  expect(code).toBe(1);
  expect(stderr).toMatch(new RegExp(`^o4o-otel: trace ${absent} not found in Jaeger at ${STACK.jaeger} `));
});

test('find --attr order.id=<id> returns the trace, with and without --service', async () => {
  const all = await eventually(
    () => o4oOtel('find', '--attr', `order.id=${ORDER_ID}`, '--since', '15m'),
    (run) => run.code === 0 && run.stdout.includes(traceId),
  );
  expect(all.code).toBe(0);
  const rows = all.stdout.trimEnd().split('\n').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(traceId);
  expect(rows[0]).toMatch(new RegExp(`2 {6}2 ERROR {2}${SERVICE} {2}GET /orders/:id {2}status=500 order\\.id=${ORDER_ID}$`));

  const errors = await o4oOtel('find', '--service', SERVICE, '--attr', `order.id=${ORDER_ID}`, '--errors', '--json');
  expect(errors.code).toBe(0);
  expect((JSON.parse(errors.stdout) as { traces: { traceId: string }[] }).traces.map((t) => t.traceId)).toEqual([traceId]);

  const none = await o4oOtel('find', '--service', SERVICE, '--attr', 'order.id=no-such-order');
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('o4o-otel: no traces match service=');
}, 90_000);

test('alerts: an alert posted to the real Alertmanager is listed with an example trace of its service and route', async () => {
  const alertname = `O4oCliE2E${RUN}`;
  const post = (endsAt: Date): Promise<void> =>
    alertmanager.postAlerts([
      {
        labels: { alertname, severity: 'warning', service_name: SERVICE, http_route: '/orders/:id' },
        annotations: { summary: 'o4o-otel end-to-end test alert' },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: endsAt.toISOString(),
      },
    ]);
  await post(new Date(Date.now() + 5 * 60_000));
  try {
    const run = await eventually(
      () => o4oOtel('alerts', '--service', SERVICE),
      (r) => r.code === 0 && r.stdout.includes(alertname) && r.stdout.includes(traceId),
      30_000,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^FIRING {2}${alertname} {2}warning {2}since .* {2}service=${SERVICE} route=/orders/:id$`));
    expect(lines[1]).toBe('  o4o-otel end-to-end test alert');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ {2}trace ${traceId} {2}\\((exemplar|span search)\\) {2}o4o-otel trace ${traceId}$`)));
  } finally {
    await post(new Date()); // resolve it
  }
}, 60_000);

test('doctor: the service is checked, and a stopped backend is reported by name', async () => {
  const serviceMetrics = `http://127.0.0.1:${metricsPort}/metrics`;
  const healthy = await o4oOtel('doctor', '--service-metrics', serviceMetrics, '--service-name', SERVICE);
  expect(healthy.stdout).toMatch(new RegExp(`^ok +service telemetry +service\\.name=${SERVICE} .*distro=@o4o/otel `, 'm'));
  expect(healthy.stdout).toMatch(/^ok +collector health +.*Server available$/m);
  expect(healthy.stdout).toMatch(new RegExp(`^ok +service traces +Jaeger has traces from ${SERVICE}$`, 'm'));
  expect(healthy.stdout).toMatch(/^ok +Alertmanager +/m);

  const stopped = await bash('stack/stop.sh', 'alertmanager');
  expect(stopped.code).toBe(0);
  try {
    const { code, stdout } = await o4oOtel('doctor', '--service-metrics', serviceMetrics);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('FAIL  Alertmanager'));
    expect(lines[at]).toMatch(new RegExp(`^FAIL  Alertmanager +Alertmanager at ${STACK.alertmanager} is unreachable \\(connect ECONNREFUSED\\)$`));
    expect(lines[at + 1]).toMatch(/^ +fix: start the stack with bash stack\/start\.sh or set O4O_ALERTMANAGER_URL$/);
    const alerts = await o4oOtel('alerts');
    expect(alerts.code).toBe(3);
    expect(alerts.stderr).toBe(`o4o-otel: Alertmanager at ${STACK.alertmanager} is unreachable (connect ECONNREFUSED); start the stack with bash stack/start.sh or set O4O_ALERTMANAGER_URL\n`);
  } finally {
    const started = await bash('stack/start.sh', 'alertmanager');
    expect(started.code).toBe(0);
  }
}, 180_000);
