/**
 * Scale-out: the load-balancing tier (loadbalancer.yaml, static resolver layer)
 * in front of two gateways (base.yaml + production.yaml + sampling.yaml, each
 * with its own OTLP sink instead of Jaeger and Prometheus), all on loopback,
 * all over TLS with bearer tokens.
 *
 *   sender --https--> load-balancing tier --gRPC+TLS, by trace id--> gateway A --> sink A
 *                                                                 \-> gateway B --> sink B
 *
 * 400 traces of 3 spans, each span sent in a different request: 40 with an error
 * span, 40 slower than the threshold, 320 ordinary. Asserted: every kept trace
 * is whole on exactly one gateway; every error and slow trace is kept; the
 * share of ordinary traces kept is within a binomial tolerance of the
 * configured percentage; span-metric call counts summed over both gateways are
 * exactly the spans sent (span metrics are computed before sampling).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@o4o/test-utils';
import { makePki, newSpanId, newTraceId, postOtlp, startCollector, tracesBody, type RunningCollector, type SpanSpec, type TestPki } from '../src/collector-process';

const TRACES = 400;
const SPAN_NAMES = ['GET /checkout', 'charge card', 'reserve stock'] as const;
const SLOW_MS = 500;
const PERCENTAGE = 25;
const DECISION_WAIT = '3s';
const TRACES_PER_REQUEST = 50;

type Kind = 'error' | 'slow' | 'ordinary';
const kindOf = (i: number): Kind => (i % 10 === 0 ? 'error' : i % 10 === 1 ? 'slow' : 'ordinary');

describe('scale-out: load-balancing tier, two gateways, tail sampling', () => {
  let scratch: string;
  let pki: TestPki;
  const sinks: OtlpReceiver[] = [];
  const collectors: RunningCollector[] = [];
  let balancer: RunningCollector;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'o4o-scale-'));
    pki = makePki(join(scratch, 'pki'));
    for (const name of ['a', 'b']) {
      const sink = await startOtlpReceiver();
      sinks.push(sink);
      collectors.push(
        await startCollector({
          layers: ['base.yaml', 'production.yaml', 'sampling.yaml', 'test:sinks.yaml', 'test:sampled-sink.yaml'],
          queueDir: join(scratch, `queue-${name}`),
          pki,
          env: {
            O4O_TEST_SINK_URL: sink.url,
            O4O_SAMPLING_DECISION_WAIT: DECISION_WAIT,
            O4O_SAMPLING_SLOW_MS: String(SLOW_MS),
            O4O_SAMPLING_PERCENTAGE: String(PERCENTAGE),
          },
        }),
      );
    }
    balancer = await startCollector({
      layers: ['loadbalancer.yaml', 'test:static-gateways.yaml'],
      queueDir: join(scratch, 'queue-lb'),
      pki,
      env: {
        O4O_GATEWAY_ENDPOINTS: `[${collectors.map((c) => `127.0.0.1:${c.ports.grpc}`).join(', ')}]`,
        O4O_GATEWAY_TOKEN_FILE: pki.tokenFile,
      },
    });
    collectors.push(balancer);
  }, 180_000);

  afterAll(async () => {
    for (const c of collectors.reverse()) await c.stop();
    for (const s of sinks) await s.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('every trace lands whole on one gateway; errors and slow traces kept, a share of the rest; span metrics add up', async () => {
    const service = `scale-${randomBytes(3).toString('hex')}`;
    const now = BigInt(Date.now()) * 1_000_000n;
    const traces = Array.from({ length: TRACES }, (_, i) => {
      const traceId = newTraceId();
      const kind = kindOf(i);
      const root: SpanSpec = { traceId, spanId: newSpanId(), name: SPAN_NAMES[0], startNanos: now, durationMillis: kind === 'slow' ? SLOW_MS + 300 : 40 };
      const children = SPAN_NAMES.slice(1).map((name, c): SpanSpec => ({
        traceId, spanId: newSpanId(), parentSpanId: root.spanId, name, startNanos: now + 1_000_000n, durationMillis: 10, error: kind === 'error' && c === 0,
      }));
      return { traceId, kind, spans: [root, ...children] };
    });

    // Span k of every trace goes in round k, so no request carries a whole trace.
    const agent = new Agent({ keepAlive: true });
    for (let k = 0; k < SPAN_NAMES.length; k++) {
      for (let from = 0; from < TRACES; from += TRACES_PER_REQUEST) {
        const batch = traces.slice(from, from + TRACES_PER_REQUEST).map((t) => t.spans[k]!);
        const answer = await postOtlp(`${balancer.otlpHttpUrl}/v1/traces`, tracesBody(service, batch), { ca: pki.ca, token: pki.token, agent });
        expect(answer.status).toBe(200);
      }
    }
    agent.destroy();

    const mine = (sink: OtlpReceiver): ReceivedSpan[] => sink.spans.filter((s) => s.resource['service.name'] === service);
    // Decisions come decision_wait after a trace's first span; wait until the sinks settle.
    let last = -1;
    const deadline = Date.now() + 60_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 4_000));
      const total = sinks.reduce((n, s) => n + mine(s).length, 0);
      if (total === last || Date.now() > deadline) break;
      last = total;
    }

    // Where each trace's spans landed.
    const landed = new Map<string, { gateways: Set<number>; spanIds: string[] }>();
    sinks.forEach((sink, g) => {
      for (const s of mine(sink)) {
        const entry = landed.get(s.traceId) ?? { gateways: new Set<number>(), spanIds: [] };
        entry.gateways.add(g);
        entry.spanIds.push(s.spanId);
        landed.set(s.traceId, entry);
      }
    });
    // Every kept trace: on exactly one gateway, all its spans, each once.
    for (const t of traces) {
      const entry = landed.get(t.traceId);
      if (!entry) continue;
      expect({ trace: t.traceId, gateways: entry.gateways.size, spans: [...entry.spanIds].sort() }).toEqual({ trace: t.traceId, gateways: 1, spans: t.spans.map((s) => s.spanId).sort() });
    }
    const keptPerGateway = sinks.map((_, g) => [...landed.values()].filter((e) => e.gateways.has(g)).length);
    expect(keptPerGateway.every((n) => n > 0)).toBe(true);

    const kept = (kind: Kind): number => traces.filter((t) => t.kind === kind && landed.has(t.traceId)).length;
    const total = (kind: Kind): number => traces.filter((t) => t.kind === kind).length;
    expect(kept('error')).toBe(total('error'));
    expect(kept('slow')).toBe(total('slow'));
    // Ordinary traces: kept with probability p by a hash of the (random) trace id,
    // so the count is Binomial(n, p). Four standard deviations: a false failure
    // about once in 15,000 runs.
    const n = total('ordinary');
    const p = PERCENTAGE / 100;
    const tolerance = 4 * Math.sqrt(n * p * (1 - p));
    expect(Math.abs(kept('ordinary') - n * p)).toBeLessThanOrEqual(tolerance);

    // Span metrics: cumulative call counts per series per gateway; the newest
    // value of each series, summed over both gateways, is every span sent.
    const calls = (): Map<string, number> => {
      const newest = new Map<string, number>();
      sinks.forEach((sink, g) => {
        for (const m of sink.metrics) {
          if (m.name !== 'traces.span.metrics.calls' || m.resource['service.name'] !== service) continue;
          for (const p of m.sumPoints) {
            const key = `${g}|${JSON.stringify(Object.entries(p.attributes).sort())}`;
            newest.set(key, Math.max(newest.get(key) ?? 0, p.value));
          }
        }
      });
      const perName = new Map<string, number>();
      for (const [key, value] of newest) {
        const name = String((JSON.parse(key.slice(key.indexOf('|') + 1)) as [string, unknown][]).find(([k]) => k === 'span.name')?.[1]);
        perName.set(name, (perName.get(name) ?? 0) + value);
      }
      return perName;
    };
    const truth = new Map(SPAN_NAMES.map((name) => [name, TRACES]));
    await sinks[0]!.waitFor(() => SPAN_NAMES.every((name) => calls().get(name) === TRACES), 60_000, 'span-metric call counts summing to the spans sent');
    expect(calls()).toEqual(truth);
    console.log(
      `scale-out: kept per gateway ${keptPerGateway.join(' / ')}; errors ${kept('error')}/${total('error')}, slow ${kept('slow')}/${total('slow')}, ` +
        `ordinary ${kept('ordinary')}/${n} (expected ${n * p} ± ${tolerance.toFixed(1)})`,
    );
  }, 240_000);
});
