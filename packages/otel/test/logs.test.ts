/**
 * winston under the preload: a plain logger's records reach the OTLP receiver
 * once each, with their request's trace context and severity; the house logger
 * writes the guide's JSON lines; and no secret reaches any transport.
 */
import type { ReceivedLogRecord } from '@o4o/test-utils';
import { SERVER, startApp, type AppUnderTest } from './helpers';

const SECRETS = ['hunter2-secret', 'nested-secret', 'abc.def.ghi', '4111 1111 1111 1111', 'jane.doe@example.com', 'house-secret', 'dXNlcjpwYXNz'];

const asText = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

function expectNoSecrets(where: string, text: string): void {
  for (const secret of SECRETS) {
    if (text.includes(secret)) throw new Error(`${where} contains ${JSON.stringify(secret)}`);
  }
}

describe('a plain winston logger under the preload', () => {
  let t: AppUnderTest;
  let traces: { orders: string; fail: string };

  beforeAll(async () => {
    t = await startApp({ script: 'winston-app.js', env: { OTEL_METRICS_EXPORTER: 'none' } });
    await fetch(`${t.app.baseUrl}/orders/42`);
    await fetch(`${t.app.baseUrl}/fail`);
    await t.receiver.waitFor(() => t.receiver.spans.filter((s) => s.kind === SERVER).length >= 2, 10_000, 'two server spans');
    // Stopping flushes everything: a duplicate record would be in the receiver by now.
    await t.app.stop();
    const server = (route: string): string => t.receiver.spans.find((s) => s.kind === SERVER && s.attributes['http.route'] === route)!.traceId;
    traces = { orders: server('/orders/:id'), fail: server('/fail') };
  });
  afterAll(() => t.stop());

  const records = (body: string): ReceivedLogRecord[] => t.receiver.logRecords.filter((r) => r.body === body);

  test('each record arrives exactly once, with the trace and span of its request', () => {
    //   GET /orders/:id (server)            GET /fail (server)
    //   └─ request handler /orders/:id       └─ request handler /fail
    //        ├─ log "Order processing started" (info)
    //        └─ log "Low stock" (warn)            └─ log "Payment processing failed" (error)
    const started = records('Order processing started');
    const lowStock = records('Low stock');
    const failed = records('Payment processing failed');
    expect([started.length, lowStock.length, failed.length, records('listening').length]).toEqual([1, 1, 1, 1]);

    expect(started[0]!.traceId).toBe(traces.orders);
    expect(lowStock[0]!.traceId).toBe(traces.orders);
    expect(failed[0]!.traceId).toBe(traces.fail);
    const spanIds = new Set(t.receiver.spans.map((s) => s.spanId));
    expect(spanIds.has(started[0]!.spanId)).toBe(true);
    expect(spanIds.has(failed[0]!.spanId)).toBe(true);
    // Logged outside any request: no trace context.
    expect(records('listening')[0]!.traceId).toMatch(/^0*$/);
    expect(started[0]!.scope.name).toBe('@o4o/otel/winston');
  });

  test('severity follows the winston level; an error carries its exception', () => {
    const [started] = records('Order processing started');
    const [lowStock] = records('Low stock');
    const [failed] = records('Payment processing failed');
    expect([started!.severityNumber, started!.severityText]).toEqual([9, 'info']);
    expect([lowStock!.severityNumber, lowStock!.severityText]).toEqual([13, 'warn']);
    expect([failed!.severityNumber, failed!.severityText]).toEqual([17, 'error']);
    expect(failed!.attributes['exception.message']).toBe('Payment processing failed');
    expect(String(failed!.attributes['exception.stacktrace'])).toContain('winston-app.js');
    expect(failed!.attributes.orderId).toBe('o-9');
  });

  test('the console output carries trace_id and span_id of the request', () => {
    const line = t.app.stdout().split('\n').find((l) => l.includes('Order processing started'))!;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.trace_id).toBe(traces.orders);
    expect(parsed.span_id).toBe(records('Order processing started')[0]!.spanId);
  });

  test('passwords, tokens, card numbers and e-mails reach neither the console nor the OTLP receiver', () => {
    expectNoSecrets('stdout', t.app.stdout());
    expectNoSecrets('stderr', t.app.stderr());
    expectNoSecrets('OTLP log records', asText(t.receiver.logRecords));
    expectNoSecrets('OTLP spans', asText(t.receiver.spans));
    const [started] = records('Order processing started');
    expect(started!.attributes).toMatchObject({
      orderId: '42',
      password: '[REDACTED]',
      authorization: '[REDACTED]',
      user: { id: 7, email: 'j***@example.com', password: '[REDACTED]' },
      note: 'paid with ****1111',
    });
  });
});

describe('createLogger(): the house format', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script: 'house-logger-app.js', env: { OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none' } });
    await fetch(`${t.app.baseUrl}/checkout`);
    await t.app.stop();
  });
  afterAll(() => t.stop());

  test('JSON lines with timestamp, level, message, service, environment first, and error stacks', () => {
    const lines = t.app.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const info = lines.find((l) => l.message === 'Checkout started')!;
    expect(Object.keys(info).slice(0, 5)).toEqual(['timestamp', 'level', 'message', 'service', 'environment']);
    expect(info).toMatchObject({ level: 'info', service: 'shop-api', environment: 'test', orderId: 'o-1', password: '[REDACTED]' });
    expect(Number.isNaN(Date.parse(String(info.timestamp)))).toBe(false);
    const error = lines.find((l) => l.level === 'error')!;
    expect(String(error.stack)).toContain('gateway timeout');
    expect(String(error.stack)).toContain('house-logger-app.js');
  });

  test('each record is exported once, redacted', () => {
    expect(t.receiver.logRecords.filter((r) => r.body === 'Checkout started')).toHaveLength(1);
    expect(t.receiver.logRecords.filter((r) => r.severityText === 'error')).toHaveLength(1);
    expectNoSecrets('stdout', t.app.stdout());
    expectNoSecrets('OTLP log records', asText(t.receiver.logRecords));
  });
});
