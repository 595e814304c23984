/**
 * A real Alertmanager (the Debian 0.25 binary, its own process, port and
 * storage; not the stack's) runs the committed configuration, rendered by
 * alerting/render.sh with the local values and secret files pointing at local
 * sinks, and delivers:
 *
 *   critical ApiErrorRateHigh  -> Slack #o4o-critical, e-mail (SMTP AUTH with the password file), SMS webhook (bearer token file), history
 *   high ApiLatencyP95High     -> nothing: inhibited by the critical alert of the same service
 *   low HostDiskFilling        -> history only: outside the business-hours interval, Slack holds it back
 *   critical PaymentProviderDown and ServiceDown of one service (a dependency outage seen by
 *   a probe of readiness) -> one page, for the payment provider: ServiceDown is inhibited
 *
 * The history receiver is the real alert-history service exporting to the
 * stack's collector, so the notifications are then found in the log store.
 *
 * Two changes to the rendered file make the test quick and deterministic:
 * the root group_wait drops from 30s to 1s (the held-back alerts would
 * otherwise only be due after 30 s), and the business-hours interval is moved
 * to a weekday that is not today in Seoul (the Seoul hours themselves are
 * checked by alerting/test/routes.sh).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { alertmanagerClient, backendRef } from '@o4o/backends';
import { freePort } from '@o4o/test-utils';
import { eventually, searchLogs, type LogDocument } from '../src/backends';
import { startSmtpSink, startWebhookSink, type SmtpSink, type WebhookSink } from '../src/notification-sinks';
import { STACK } from '../src/stack';

const REPO = resolve(__dirname, '../..');
const ALERTMANAGER = process.env.O4O_ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
const RUN = randomBytes(4).toString('hex');
const SERVICE = `delivery-${RUN}`;
const HOST_SERVICE = `host-${RUN}`;
const OUTAGE_SERVICE = `outage-${RUN}`;
const SMTP_USER = 'alertmanager';
const SMTP_PASSWORD = `smtp-${RUN}`;
const SMS_TOKEN = `sms-${RUN}`;

const work = mkdtempSync(join(tmpdir(), 'o4o-alerting-'));
const children: ChildProcess[] = [];
let sink: WebhookSink;
let smtp: SmtpSink;
let alertmanagerUrl: string;

function startProcess(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`${command} exited with ${code}:\n${output.slice(-2000)}`);
  });
  children.push(child);
  return child;
}

async function waitReady(url: string, what: string): Promise<void> {
  await eventually(() => fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.status), (s) => s === 200, what, 30_000);
}

const SEOUL_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

beforeAll(async () => {
  sink = await startWebhookSink();
  smtp = await startSmtpSink({ username: SMTP_USER, password: SMTP_PASSWORD });

  // The real alert history, exporting to the stack's collector.
  const historyPort = await freePort();
  startProcess(process.execPath, [join(REPO, 'packages/alert-history/dist/main.js')], {
    ALERT_HISTORY_PORT: String(historyPort),
    OTEL_EXPORTER_OTLP_ENDPOINT: STACK.collectorOtlpHttp,
  });
  await waitReady(`http://127.0.0.1:${historyPort}/health`, 'alert-history');

  // Secrets as a deployment provides them: files, never in the config.
  const secrets = join(work, 'secrets');
  mkdirSync(secrets, { mode: 0o700 });
  writeFileSync(join(secrets, 'slack-api-url'), `${sink.url}/slack\n`, { mode: 0o600 });
  // No trailing newline: Alertmanager 0.25 sends the password file's bytes as they are.
  writeFileSync(join(secrets, 'smtp-password'), SMTP_PASSWORD, { mode: 0o600 });
  writeFileSync(join(secrets, 'sms-gateway-token'), `${SMS_TOKEN}\n`, { mode: 0o600 });

  const config = join(work, 'alertmanager.yml');
  await promisify(execFile)('bash', [join(REPO, 'alerting/render.sh'), join(REPO, 'alerting/env/local.env'), config], {
    env: {
      ...process.env,
      ALERTING_SECRETS_DIR: secrets,
      ALERTING_TEMPLATES_DIR: join(REPO, 'alerting/templates'),
      ALERTING_SMTP_SMARTHOST: `127.0.0.1:${smtp.port}`,
      ALERTING_SMS_GATEWAY_URL: `${sink.url}/sms`,
      ALERTING_HISTORY_URL: `http://127.0.0.1:${historyPort}/alerts`,
    },
  });
  const seoulToday = new Date(Date.now() + 9 * 3600_000).getUTCDay();
  const notToday = SEOUL_WEEKDAYS[(seoulToday + 3) % 7];
  const rendered = readFileSync(config, 'utf8');
  const adjusted = rendered.replace(/^ {2}group_wait: 30s$/m, '  group_wait: 1s').replace("weekdays: ['monday:friday']", `weekdays: ['${notToday}']`);
  expect(adjusted).not.toBe(rendered);
  expect(adjusted).toContain(`weekdays: ['${notToday}']`);
  writeFileSync(config, adjusted);

  const port = await freePort();
  alertmanagerUrl = `http://127.0.0.1:${port}`;
  startProcess(ALERTMANAGER, [`--config.file=${config}`, `--storage.path=${join(work, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=']);
  await waitReady(`${alertmanagerUrl}/-/ready`, 'Alertmanager');

  const annotations = (name: string, service = SERVICE) => ({
    summary: `${name} for ${service}`,
    description: `${name} test alert of run ${RUN} (value 0.09)`,
    runbook_url: `https://git.o4o.example/o4o/observability/blob/main/docs/runbooks.md#${name}`,
    dashboard_url: 'https://grafana.o4o.example/d/o4o-service',
  });
  await alertmanagerClient(backendRef('the test Alertmanager', alertmanagerUrl)).postAlerts([
    { labels: { alertname: 'ApiErrorRateHigh', severity: 'critical', service_name: SERVICE }, annotations: annotations('ApiErrorRateHigh') },
    { labels: { alertname: 'ApiLatencyP95High', severity: 'high', service_name: SERVICE }, annotations: annotations('ApiLatencyP95High') },
    { labels: { alertname: 'HostDiskFilling', severity: 'low', service_name: HOST_SERVICE }, annotations: annotations('HostDiskFilling') },
    { labels: { alertname: 'PaymentProviderDown', severity: 'critical', service_name: OUTAGE_SERVICE }, annotations: annotations('PaymentProviderDown', OUTAGE_SERVICE) },
    { labels: { alertname: 'ServiceDown', severity: 'critical', service_name: OUTAGE_SERVICE }, annotations: annotations('ServiceDown', OUTAGE_SERVICE) },
  ]);
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await sink?.close();
  await smtp?.close();
  rmSync(work, { recursive: true, force: true });
});

const slackPosts = () => sink.posts.filter((p) => p.path === '/slack');
const slackText = (p: { body: Record<string, unknown> }): string => JSON.stringify(p.body);

test('critical: Slack receives it in the critical channel, with runbook and dashboard links', async () => {
  const [post] = await eventually(async () => slackPosts().filter((p) => slackText(p).includes(SERVICE)), (p) => p.length > 0, 'the Slack post', 60_000);
  const body = post.body as { channel: string; attachments: { title: string; title_link: string; text: string; color: string }[] };
  expect(body.channel).toBe('#o4o-critical');
  expect(body.attachments[0].title).toBe(`[FIRING:1] CRITICAL ApiErrorRateHigh (${SERVICE})`);
  expect(body.attachments[0].title_link).toBe('https://grafana.o4o.example/d/o4o-service');
  expect(body.attachments[0].color).toBe('danger');
  expect(body.attachments[0].text).toContain('Runbook: https://git.o4o.example/o4o/observability/blob/main/docs/runbooks.md#ApiErrorRateHigh');
});

test('critical: the SMTP server receives the e-mail, sent with the password from the secret file', async () => {
  const [mail] = await eventually(async () => smtp.mails.filter((m) => m.raw.includes(SERVICE)), (m) => m.length > 0, 'the e-mail', 60_000);
  expect(mail.user).toBe(SMTP_USER);
  expect(mail.from).toBe('alertmanager@o4o.local');
  expect(mail.to).toEqual(['oncall@o4o.local']);
  expect(mail.raw).toMatch(/^Subject: .*CRITICAL ApiErrorRateHigh/m);
});

test('critical: the SMS gateway webhook receives it with the bearer token from the secret file', async () => {
  const [sms] = await eventually(async () => sink.posts.filter((p) => p.path === '/sms' && slackText(p).includes(SERVICE)), (p) => p.length > 0, 'the SMS webhook post', 60_000);
  expect(sms.headers.authorization).toBe(`Bearer ${SMS_TOKEN}`);
  expect((sms.body as { alerts: { labels: Record<string, string> }[] }).alerts[0].labels.alertname).toBe('ApiErrorRateHigh');
});

test('every notification lands in the log store through the alert history; the inhibited one does not', async () => {
  const alertNames = (docs: LogDocument[]): unknown[] => docs.map((d) => d.attributes?.['alert.name']);
  const docs = await eventually(
    () =>
      searchLogs({
        bool: {
          must: [{ match_phrase: { 'resource.attributes.service.name': 'alert-history' } }],
          should: [{ match_phrase: { 'attributes.alert.service': SERVICE } }, { match_phrase: { 'attributes.alert.service': HOST_SERVICE } }],
          minimum_should_match: 1,
        },
      }),
    (d) => alertNames(d).includes('ApiErrorRateHigh') && alertNames(d).includes('HostDiskFilling'),
    'history records in the log store',
    90_000,
  );
  const critical = docs.find((d) => d.attributes?.['alert.name'] === 'ApiErrorRateHigh');
  expect(critical?.severity_text).toBe('FATAL');
  expect(critical?.attributes).toMatchObject({ 'alert.severity': 'critical', 'alert.service': SERVICE, 'alert.status': 'firing', 'alertmanager.receiver': 'alert-history' });
  expect(docs.find((d) => d.attributes?.['alert.name'] === 'HostDiskFilling')?.severity_text).toBe('INFO');
  expect(alertNames(docs)).not.toContain('ApiLatencyP95High');
}, 120_000);

test('high is inhibited by the critical alert of the same service, and low waits for business hours: Slack gets neither', async () => {
  // By now the critical notifications went out (10 s group wait) and the history
  // has the low alert (5 s); the high and low Slack routes were due after 1 s.
  await eventually(async () => slackPosts().filter((p) => slackText(p).includes(SERVICE)), (p) => p.length > 0, 'the critical Slack post', 60_000);
  await new Promise((r) => setTimeout(r, 5_000));
  const texts = slackPosts().map(slackText);
  expect(texts.filter((t) => t.includes('ApiLatencyP95High'))).toEqual([]);
  expect(texts.filter((t) => t.includes('HostDiskFilling'))).toEqual([]);
  expect(texts.filter((t) => t.includes('ApiErrorRateHigh'))).toHaveLength(1);
});

test('a payment provider outage pages exactly once, for the payment provider: ServiceDown of the same service is inhibited', async () => {
  const pages = () => slackPosts().filter((p) => slackText(p).includes(OUTAGE_SERVICE));
  await eventually(async () => pages(), (p) => p.length > 0, 'the outage page', 60_000);
  // Both were sent together; had ServiceDown not been inhibited, its page would be due as soon.
  await new Promise((r) => setTimeout(r, 5_000));
  const texts = pages().map(slackText);
  expect(texts).toHaveLength(1);
  expect(texts[0]).toContain('PaymentProviderDown');
  expect(texts[0]).not.toContain('ServiceDown');
  expect(sink.posts.filter((p) => p.path === '/sms' && slackText(p).includes(OUTAGE_SERVICE)).map(slackText).join('')).not.toContain('ServiceDown');
});
