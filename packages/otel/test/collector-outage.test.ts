/**
 * A collector outage in the middle of steady traffic loses nothing and
 * duplicates nothing: batches that fail with a retryable error wait in the
 * retry buffer and are delivered in order once the collector is back.
 *
 * Timeline (the app is driven the whole time, one request every 100 ms):
 *   0-2 s   collector up
 *   2-7 s   collector answers 503 to everything
 *   7-12 s  collector down (port closed: connection refused)
 *   12-14 s collector up again
 * Each request carries its own trace id (traceparent), so every span and log
 * record can be traced back to the request that made it.
 */
import { randomBytes } from 'node:crypto';
import { startApp } from './helpers';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('collector outage', () => {
  test('every span and log record of every request arrives exactly once', async () => {
    const t = await startApp({ script: 'winston-app.js', env: { OTEL_METRICS_EXPORTER: 'none' } });
    try {
      const traceIds: string[] = [];
      const phases: [number, () => unknown][] = [
        [2_000, () => undefined],
        [5_000, () => t.receiver.failWith(503)],
        [5_000, () => t.receiver.stop()],
        [2_000, async () => {
          t.receiver.failWith(undefined);
          await t.receiver.start();
        }],
      ];
      for (const [millis, begin] of phases) {
        await begin();
        const until = Date.now() + millis;
        while (Date.now() < until) {
          const traceId = randomBytes(16).toString('hex');
          traceIds.push(traceId);
          const res = await fetch(`${t.app.baseUrl}/orders/${traceIds.length}`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
          expect(res.status).toBe(200);
          await sleep(100);
        }
      }
      expect(t.receiver.refused.length).toBeGreaterThan(0);

      const serverSpans = (): number => t.receiver.spans.filter((s) => s.name === 'GET /orders/:id').length;
      await t.receiver.waitFor(() => serverSpans() >= traceIds.length && t.receiver.logRecords.filter((l) => l.traceId !== '').length >= 2 * traceIds.length, 45_000, 'every request after the outage');
      await sleep(500); // anything duplicated would arrive now

      const spanIds = t.receiver.spans.map((s) => s.spanId);
      expect(new Set(spanIds).size).toBe(spanIds.length);
      const spansPerTrace = new Map<string, string[]>();
      for (const s of t.receiver.spans) spansPerTrace.set(s.traceId, [...(spansPerTrace.get(s.traceId) ?? []), s.name]);
      // Every request has the same span tree as the first, delivered before the outage.
      const shape = [...(spansPerTrace.get(traceIds[0]!) ?? [])].sort();
      expect(shape).toContain('GET /orders/:id');
      const missing = traceIds.filter((id) => JSON.stringify([...(spansPerTrace.get(id) ?? [])].sort()) !== JSON.stringify(shape));
      expect(missing).toEqual([]);
      expect(spansPerTrace.size).toBe(traceIds.length);

      // Two log records per request (info, warn), each exactly once.
      const logsPerTrace = new Map<string, string[]>();
      for (const l of t.receiver.logRecords) if (l.traceId !== '') logsPerTrace.set(l.traceId, [...(logsPerTrace.get(l.traceId) ?? []), String(l.body)]);
      const wrongLogs = traceIds.filter((id) => JSON.stringify([...(logsPerTrace.get(id) ?? [])].sort()) !== JSON.stringify(['Low stock', 'Order processing started']));
      expect(wrongLogs).toEqual([]);

      const scraped = await fetch(t.metricsUrl).catch(() => undefined);
      expect(scraped).toBeUndefined(); // metrics off here: the counter test is in telemetry-dropped.test.ts
      expect(t.app.diagnostics().filter((l) => l.includes('telemetry dropped'))).toEqual([]);
    } finally {
      await t.stop();
    }
  }, 120_000);
});
