/**
 * Nothing acknowledged before it is safe: the collector with production's
 * receivers and queues (base.yaml + production.yaml, backends replaced by an
 * OTLP sink with production's queue settings: collector/test/config/sinks.yaml)
 * is killed with SIGKILL in the middle of traffic while its backend is down,
 * started again on the same queue directory, and then the backend returns.
 *
 *   senders --https+Bearer--> collector (kill -9, restart) --> sink (down, then up)
 *
 * Senders are raw OTLP clients, so the test knows exactly which spans and log
 * records were answered 200. Each of those must reach the sink exactly once.
 * Requests that failed (refused while the collector was down, or cut off by the
 * kill) were never acknowledged: they may arrive at most once, never twice.
 * The sink is counted directly, so no dedup is done here; Jaeger, as a backend,
 * would show a span the SDK resent after a lost answer twice (dedup by span id).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '@o4o/test-utils';
import { GATEWAY_LAYERS, logsBody, makePki, newSpanId, newTraceId, postOtlp, startCollector, tracesBody, type RunningCollector, type TestPki } from '../src/collector-process';

const SPANS_PER_REQUEST = 20;
const LOGS_PER_REQUEST = 10;
const SENDERS = 3;

interface Outcome {
  readonly ids: string[];
  readonly acknowledged: boolean;
}

describe('crash safety', () => {
  let scratch: string;
  let pki: TestPki;
  let sink: OtlpReceiver;
  let collector: RunningCollector;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'o4o-crash-'));
    pki = makePki(join(scratch, 'pki'));
    sink = await startOtlpReceiver();
    collector = await startCollector({
      layers: GATEWAY_LAYERS,
      queueDir: join(scratch, 'queue'),
      pki,
      // Retries back off to at most 5 s instead of production's 30 s, to keep the test short.
      env: { O4O_TEST_SINK_URL: sink.url, O4O_TEST_RETRY_MAX_INTERVAL: '5s' },
    });
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
    await sink?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('kill -9 during traffic with the backend down: every acknowledged span and log record arrives exactly once', async () => {
    const service = `crash-${randomBytes(3).toString('hex')}`;
    await sink.stop(); // the backend is down for the whole crash
    const agent = new Agent({ keepAlive: true, maxSockets: SENDERS * 2 });
    const spans: Outcome[] = [];
    const logs: Outcome[] = [];
    let sending = true;
    const sender = async (n: number): Promise<void> => {
      for (let i = 0; sending; i++) {
        const traceId = newTraceId();
        const spanIds = Array.from({ length: SPANS_PER_REQUEST }, () => newSpanId());
        const start = BigInt(Date.now()) * 1_000_000n;
        const traces = tracesBody(service, spanIds.map((spanId) => ({ traceId, spanId, name: 'checkout', startNanos: start, durationMillis: 5 })));
        const logIds = Array.from({ length: LOGS_PER_REQUEST }, (_, j) => `${n}-${i}-${j}-${randomBytes(4).toString('hex')}`);
        const [t, l] = await Promise.all([
          postOtlp(`${collector.otlpHttpUrl}/v1/traces`, traces, { ca: pki.ca, token: pki.token, agent }).then((r) => r.status === 200, () => false),
          postOtlp(`${collector.otlpHttpUrl}/v1/logs`, logsBody(service, logIds), { ca: pki.ca, token: pki.token, agent }).then((r) => r.status === 200, () => false),
        ]);
        spans.push({ ids: spanIds, acknowledged: t });
        logs.push({ ids: logIds, acknowledged: l });
        if (!t || !l) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const senders = Array.from({ length: SENDERS }, (_, n) => sender(n));

    await new Promise((r) => setTimeout(r, 3_000));
    const acknowledgedBeforeKill = spans.filter((o) => o.acknowledged).length;
    await collector.kill9();
    await new Promise((r) => setTimeout(r, 1_000));
    await collector.restart();
    await new Promise((r) => setTimeout(r, 3_000));
    sending = false;
    await Promise.all(senders);
    agent.destroy();

    const acknowledged = (outcomes: Outcome[]): string[] => outcomes.filter((o) => o.acknowledged).flatMap((o) => o.ids);
    const unacknowledged = (outcomes: Outcome[]): string[] => outcomes.filter((o) => !o.acknowledged).flatMap((o) => o.ids);
    const ackedSpans = acknowledged(spans);
    const ackedLogs = acknowledged(logs);
    // The kill happened mid-traffic: requests were acknowledged before it and after the
    // restart, and some failed in between.
    expect(acknowledgedBeforeKill).toBeGreaterThan(0);
    expect(spans.filter((o) => o.acknowledged).length).toBeGreaterThan(acknowledgedBeforeKill);
    expect(spans.some((o) => !o.acknowledged)).toBe(true);

    await sink.start(); // the backend is back
    const mine = (): { spans: Map<string, number>; logs: Map<string, number> } => {
      const count = (ids: string[]): Map<string, number> => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());
      return {
        spans: count(sink.spans.filter((s) => s.resource['service.name'] === service).map((s) => s.spanId)),
        logs: count(sink.logRecords.filter((l) => l.resource['service.name'] === service).map((l) => String(l.attributes['test.id']))),
      };
    };
    await sink.waitFor(
      () => {
        const got = mine();
        return ackedSpans.every((id) => got.spans.has(id)) && ackedLogs.every((id) => got.logs.has(id));
      },
      120_000,
      `${ackedSpans.length} acknowledged spans and ${ackedLogs.length} log records`,
    );
    await new Promise((r) => setTimeout(r, 5_000)); // room for any duplicate to show up

    const got = mine();
    const twice = (m: Map<string, number>): string[] => [...m].filter(([, n]) => n > 1).map(([id]) => id);
    expect(ackedSpans.filter((id) => got.spans.get(id) !== 1)).toEqual([]);
    expect(ackedLogs.filter((id) => got.logs.get(id) !== 1)).toEqual([]);
    expect(twice(got.spans)).toEqual([]);
    expect(twice(got.logs)).toEqual([]);
    // Nothing arrives that nobody sent.
    const sent = new Set([...ackedSpans, ...unacknowledged(spans)]);
    expect([...got.spans.keys()].filter((id) => !sent.has(id))).toEqual([]);
    console.log(
      `crash safety: ${ackedSpans.length} spans and ${ackedLogs.length} log records acknowledged, all delivered once; ` +
        `${unacknowledged(spans).length} spans unacknowledged, of which ${unacknowledged(spans).filter((id) => got.spans.has(id)).length} arrived (once)`,
    );
  }, 240_000);
});
