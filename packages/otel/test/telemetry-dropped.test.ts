/**
 * Drops are never silent: every span, log record or data point that does not
 * reach the collector is counted in o4o_telemetry_dropped_total{signal,reason}
 * on the metrics endpoint. Each case checks the books balance: what arrived
 * plus what was counted as dropped is everything the app produced.
 */
import { scrapeMetrics, type Sample } from '@o4o/test-utils';
import { startApp, type AppUnderTest } from './helpers';

const DROPPED = 'o4o_telemetry_dropped_total';

function dropped(samples: readonly Sample[], signal: string, reason: string): number {
  return samples.filter((s) => s.name === DROPPED && s.labels.signal === signal && s.labels.reason === reason).reduce((n, s) => n + s.value, 0);
}

async function droppedNow(t: AppUnderTest, signal: string, reason: string): Promise<number> {
  return dropped((await scrapeMetrics(t.metricsUrl)).samples, signal, reason);
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMillis = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const burstLines = (t: AppUnderTest): number => t.receiver.logRecords.filter((l) => l.body === 'burst line').length;

describe('o4o_telemetry_dropped_total', () => {
  // Over OTLP/JSON the SDK's batch processor queues record objects and exports a full
  // batch asynchronously, so a synchronous burst can fill its queue. Over protobuf a
  // full batch goes to the retry buffer at once: the count never passes the batch
  // size, and the byte bound is what turns records away (the next case).
  test('OTEL_BLRP_MAX_QUEUE_SIZE (OTLP/JSON): log records beyond a full queue are counted as queue_full; arrived + dropped = logged', async () => {
    const t = await startApp({
      script: 'winston-app.js',
      env: { OTEL_BLRP_MAX_QUEUE_SIZE: '5', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '5', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json' },
    });
    try {
      await fetch(`${t.app.baseUrl}/burst/50`);
      await eventually(async () => burstLines(t) + (await droppedNow(t, 'logs', 'queue_full')) === 50, 'the books to balance');
      const { text, samples } = await scrapeMetrics(t.metricsUrl);
      expect(dropped(samples, 'logs', 'queue_full')).toBeGreaterThan(0);
      expect(text).toContain(`# TYPE ${DROPPED} counter`);
      await new Promise((r) => setTimeout(r, 300));
      expect(burstLines(t) + dropped((await scrapeMetrics(t.metricsUrl)).samples, 'logs', 'queue_full')).toBe(50);
      expect(t.app.diagnostics().some((l) => /telemetry dropped \(\d+ log records queue_full\)/.test(l))).toBe(true);
    } finally {
      await t.stop();
    }
  });

  test('O4O_OTEL_BLRP_MAX_QUEUE_BYTES: a burst of log records beyond the batch\'s bytes is counted as queue_full; arrived + dropped = logged', async () => {
    // A minute between batches and a batch larger than the burst: only the byte bound can turn records away.
    const t = await startApp({
      script: 'winston-app.js',
      env: { O4O_OTEL_BLRP_MAX_QUEUE_BYTES: '1024', OTEL_BLRP_SCHEDULE_DELAY: '60000', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '512' },
    });
    try {
      await fetch(`${t.app.baseUrl}/burst/50`);
      const droppedRecords = await droppedNow(t, 'logs', 'queue_full');
      expect(droppedRecords).toBeGreaterThan(0);
      // The records kept wait for the batch's delay; the flush at exit sends them.
      await t.app.stop();
      await eventually(async () => burstLines(t) + droppedRecords === 50, 'the kept records to arrive');
      expect(burstLines(t)).toBeGreaterThan(0);
    } finally {
      await t.stop();
    }
  });

  test('O4O_OTEL_BSP_MAX_QUEUE_BYTES: spans beyond the queue\'s bytes are counted as queue_full', async () => {
    const t = await startApp({
      script: 'express-app.js',
      // A minute between batches: only the byte bound can turn spans away.
      env: { O4O_OTEL_BSP_MAX_QUEUE_BYTES: '1024', OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_LOGS_EXPORTER: 'none' },
    });
    try {
      for (let i = 0; i < 10; i++) await fetch(`${t.app.baseUrl}/users/${i}`);
      expect(await droppedNow(t, 'traces', 'queue_full')).toBeGreaterThan(0);
      // The same traffic with the default bound drops nothing (see the last case).
    } finally {
      await t.stop();
    }
  });

  test('a collector answering 400 rejects for good: counted as rejected, never sent again', async () => {
    const t = await startApp({ script: 'express-app.js', env: { OTEL_LOGS_EXPORTER: 'none' } });
    try {
      t.receiver.failWith(400);
      for (let i = 0; i < 5; i++) await fetch(`${t.app.baseUrl}/users/${i}`);
      await eventually(async () => (await droppedNow(t, 'traces', 'rejected')) >= 5, 'rejected spans to be counted');
      const refusedRequests = t.receiver.refused.length;
      t.receiver.failWith(undefined);
      await fetch(`${t.app.baseUrl}/users/after`);
      await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.attributes['url.path'] === '/users/after'), 15_000, 'the span after the rejection');
      expect(t.receiver.spans.filter((s) => s.name === 'GET /users/:id')).toHaveLength(1);
      expect(t.receiver.refused.length).toBe(refusedRequests);
      expect(await droppedNow(t, 'traces', 'queue_full')).toBe(0);
      expect(t.app.diagnostics().some((l) => l.includes('HTTP 400') && l.includes('for good'))).toBe(true);
    } finally {
      await t.stop();
    }
  });

  test('O4O_OTEL_EXPORT_BUFFER_BYTES: with the collector down, the oldest batches are evicted as buffer_full; arrived + dropped = produced', async () => {
    const t = await startApp({ script: 'express-app.js', env: { O4O_OTEL_EXPORT_BUFFER_BYTES: '2048', OTEL_LOGS_EXPORTER: 'none' } });
    try {
      await fetch(`${t.app.baseUrl}/users/first`);
      await t.receiver.waitFor(() => t.receiver.spans.length > 0, 15_000, 'the first request');
      await new Promise((r) => setTimeout(r, 300));
      const perRequest = t.receiver.spans.length;
      await t.receiver.stop();
      const requests = 20;
      for (let i = 0; i < requests; i++) {
        await fetch(`${t.app.baseUrl}/users/${i}`);
        await new Promise((r) => setTimeout(r, 150)); // one batch per request
      }
      const evicted = await droppedNow(t, 'traces', 'buffer_full');
      expect(evicted).toBeGreaterThan(0);
      await t.receiver.start();
      await t.receiver.waitFor(() => t.receiver.spans.length - perRequest + evicted >= requests * perRequest, 30_000, 'what the buffer held');
      await new Promise((r) => setTimeout(r, 300));
      expect(t.receiver.spans.length - perRequest + (await droppedNow(t, 'traces', 'buffer_full'))).toBe(requests * perRequest);
      expect(await droppedNow(t, 'traces', 'queue_full')).toBe(0);
    } finally {
      await t.stop();
    }
  }, 90_000);
});
