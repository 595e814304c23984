/**
 * `o4o-otel find --errors` on traces the preload really made: an Express 5
 * service (the @o4o/otel fixture express-routes-app.js) answers 404 after
 * next(NotFoundError), 404 from next(createError(404)), and 500 from a
 * TypeError. Its spans go to an OTLP receiver, are written as Jaeger writes
 * OTLP spans (status as `otel.status_code`/`error` tags, events as logs) and
 * served by a fake Jaeger; only the 500 is an error trace.
 */
import { dirname, join } from 'node:path';
import { runFixture, startOtlpReceiver, type Fixture, type OtlpReceiver, type ReceivedSpan } from '@o4o/test-utils';
import type { JaegerTag, JaegerTraceAnswer } from '@o4o/backends';
import { runCli, startFake, type FakeBackend } from './fake-backends';

const OTEL_DIR = dirname(require.resolve('@o4o/otel/package.json'));
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function tag(key: string, value: unknown): JaegerTag {
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') return { key, type: Number.isInteger(value) ? 'int64' : 'float64', value };
  return { key, type: 'string', value: String(value) };
}

/** One trace as Jaeger's OTLP translation writes it. */
function asJaeger(traceId: string, spans: readonly ReceivedSpan[]): JaegerTraceAnswer {
  return {
    traceID: traceId,
    processes: { p1: { serviceName: 'fixture-app' } },
    spans: spans.map((s) => ({
      traceID: s.traceId,
      spanID: s.spanId,
      operationName: s.name,
      references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID: s.traceId, spanID: s.parentSpanId }] : [],
      startTime: Number(s.startTimeUnixNano / 1000n),
      duration: Number((s.endTimeUnixNano - s.startTimeUnixNano) / 1000n),
      processID: 'p1',
      tags: [
        ...Object.entries(s.attributes).map(([k, v]) => tag(k, v)),
        tag('span.kind', KINDS[s.kind] ?? 'unspecified'),
        ...(s.status.code === 2 ? [tag('otel.status_code', 'ERROR'), tag('error', true)] : s.status.code === 1 ? [tag('otel.status_code', 'OK')] : []),
      ],
      logs: s.events.map((e) => ({ timestamp: 0, fields: [tag('event', e.name), ...Object.entries(e.attributes).map(([k, v]) => tag(k, v))] })),
    })),
  };
}

let receiver: OtlpReceiver;
let app: Fixture;
let jaeger: FakeBackend;
const traceOf: Record<string, string> = {};

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  app = await runFixture({
    script: join(OTEL_DIR, 'test', 'fixtures', 'express-routes-app.js'),
    cwd: OTEL_DIR,
    preload: { flag: '--require', module: '@o4o/otel/register' },
    env: { OTEL_SERVICE_NAME: 'fixture-app', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'none', OTEL_BSP_SCHEDULE_DELAY: '100' },
  });
  const paths = ['/api/stores/1/answered/2', '/api/stores/1/missing/3', '/api/stores/1/crash/4', '/api/stores/1/products/5'];
  for (const path of paths) await fetch(`${app.baseUrl}${path}`);
  const serverSpan = (path: string): ReceivedSpan | undefined => receiver.spans.find((s) => s.kind === 2 && s.attributes['url.path'] === path);
  await receiver.waitFor(() => paths.every((p) => serverSpan(p) && receiver.spans.some((s) => s.parentSpanId === serverSpan(p)!.spanId)), 15_000, 'the four traces');
  for (const path of paths) traceOf[path] = serverSpan(path)!.traceId;
  const traces = Object.values(traceOf).map((id) => asJaeger(id, receiver.spans.filter((s) => s.traceId === id)));
  jaeger = await startFake(({ path }) => {
    if (path === '/api/services') return { json: { data: ['fixture-app'] } };
    if (path === '/api/traces') return { json: { data: traces, total: traces.length, limit: 0, offset: 0, errors: null } };
    return undefined;
  });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
  await jaeger?.close();
});

test('the preload leaves the 404 traces without an error span: their handlers still record the exception', () => {
  const answered = receiver.spans.filter((s) => s.traceId === traceOf['/api/stores/1/answered/2']);
  expect(answered.map((s) => s.status.code)).toEqual([0, 0]);
  expect(answered.flatMap((s) => s.events.map((e) => e.attributes['exception.type']))).toEqual(['NotFoundError']);
});

test('find --errors lists the 500 trace only, not the 404s passed to next()', async () => {
  const all = await runCli(['find', '--service', 'fixture-app', '--json'], { O4O_JAEGER_URL: jaeger.url });
  expect(all.code).toBe(0);
  const listed = (stdout: string): string[] => (JSON.parse(stdout) as { traces: { traceId: string }[] }).traces.map((t) => t.traceId).sort();
  expect(listed(all.stdout)).toEqual(Object.values(traceOf).sort());

  const errors = await runCli(['find', '--service', 'fixture-app', '--errors', '--json'], { O4O_JAEGER_URL: jaeger.url });
  expect({ code: errors.code, stderr: errors.stderr }).toEqual({ code: 0, stderr: '' });
  expect(listed(errors.stdout)).toEqual([traceOf['/api/stores/1/crash/4']]);
});
