/**
 * The built service (dist/main.js) in a child process against a real OTLP
 * receiver: an Alertmanager webhook in, log records out over OTLP/HTTP, as
 * the collector receives them. A child process because Jest's module registry
 * breaks the OpenTelemetry 3.x SDK's internal export call (the exporter
 * arrives undefined); the house runs SDK code outside Jest for this reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '@o4o/test-utils';
import { CRITICAL_ANNOTATIONS, CRITICAL_LABELS, notification } from './payloads';

let receiver: OtlpReceiver;
let child: ChildProcess;
let url: string;
let stderr = '';

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
    env: { ...process.env, ALERT_HISTORY_PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line from o4o-alert-history: ${stderr}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/alerts/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`o4o-alert-history exited with ${code}: ${stderr}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  await receiver.close();
});

const post = (body: unknown): Promise<Response> =>
  fetch(`${url}/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(5000) });

test('a webhook notification arrives at the collector as a log record of service alert-history', async () => {
  const response = await post(notification('firing', CRITICAL_LABELS, CRITICAL_ANNOTATIONS));
  expect(response.status).toBe(200);
  await receiver.waitFor(() => receiver.logRecords.length > 0, 10_000, 'the history log record');
  const [record] = receiver.logRecords;
  expect(record.resource['service.name']).toBe('alert-history');
  expect(record.scope.name).toBe('@o4o/alert-history');
  expect(record.severityText).toBe('FATAL');
  expect(record.body).toBe('[FIRING] ApiErrorRateHigh critical shop-api: shop-api: 9.1% of requests fail');
  expect(record.attributes).toMatchObject({ 'alert.name': 'ApiErrorRateHigh', 'alert.severity': 'critical', 'alert.service': 'shop-api', 'alert.status': 'firing' });
});

test('a body that is not a webhook notification gets 400 with the reason', async () => {
  expect((await post('{"hello":')).status).toBe(400);
  const other = await post({ version: '4' });
  expect(other.status).toBe(400);
  expect(await other.text()).toContain('"alerts" array');
});

test('health and unknown paths', async () => {
  expect((await fetch(`${url}/health`)).status).toBe(200);
  expect((await fetch(`${url}/other`)).status).toBe(404);
});

test('SIGTERM flushes what was recorded and exits 0', async () => {
  const before = receiver.logRecords.length;
  expect((await post(notification('resolved', CRITICAL_LABELS))).status).toBe(200);
  child.kill('SIGTERM');
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  expect(receiver.logRecords.slice(before).map((r) => r.body)).toEqual(['[RESOLVED] ApiErrorRateHigh critical shop-api']);
});
