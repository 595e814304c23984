/**
 * Authenticated, encrypted ingest: the collector binary with production's
 * receivers (base.yaml + production.yaml; the backends replaced by an OTLP sink,
 * collector/test/config/sinks.yaml) on free loopback ports, with a test CA's
 * certificate and a token file.
 *
 *   shop (preload, token + CA) --https+Bearer--> collector --OTLP/HTTP--> sink
 *
 * A service with the right token and CA gets its spans through; a wrong or
 * missing token is answered 401 and the service keeps serving, counting what it
 * lost; plain HTTP is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, scrapeMetrics, startOtlpReceiver, type OtlpReceiver } from '@o4o/test-utils';
import { GATEWAY_LAYERS, makePki, newSpanId, newTraceId, postOtlp, startCollector, tracesBody, type RunningCollector, type TestPki } from '../src/collector-process';
import { startShop, type RunningShop } from '../src/shop';

const REQUESTS = 10;

describe('authenticated, encrypted ingest', () => {
  let scratch: string;
  let pki: TestPki;
  let sink: OtlpReceiver;
  let collector: RunningCollector;
  const shops: RunningShop[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'o4o-ingest-auth-'));
    pki = makePki(join(scratch, 'pki'));
    sink = await startOtlpReceiver();
    collector = await startCollector({ layers: GATEWAY_LAYERS, queueDir: join(scratch, 'queue'), pki, env: { O4O_TEST_SINK_URL: sink.url } });
  }, 120_000);

  afterAll(async () => {
    for (const shop of shops) await shop.stop();
    await collector?.stop();
    await sink?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const startShopWith = async (serviceName: string, env: Record<string, string>): Promise<RunningShop & { metricsPort: number }> => {
    const metricsPort = await freePort();
    const shop = await startShop({
      serviceName,
      port: await freePort(),
      metricsPort,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl, OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caFile, ...env },
    });
    shops.push(shop);
    return { ...shop, metricsPort };
  };
  const productSpans = (service: string): number =>
    sink.spans.filter((s) => s.resource['service.name'] === service && s.kind === 2 && s.attributes['http.route'] === '/products/:id').length;

  test('a preloaded service with the bearer token and the CA is accepted: every request span reaches the sink', async () => {
    const service = `auth-ok-${randomBytes(3).toString('hex')}`;
    const shop = await startShopWith(service, { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${pki.token}` });
    for (let i = 0; i < REQUESTS; i++) expect((await fetch(`${shop.baseUrl}/products/${(i % 8) + 1}`)).status).toBe(200);
    await sink.waitFor(() => productSpans(service) >= REQUESTS, 30_000, `${REQUESTS} server spans of ${service}`);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(productSpans(service)).toBe(REQUESTS);
  }, 90_000);

  test('a wrong token gets 401: the service still answers 200, and counts and reports what it dropped', async () => {
    const service = `auth-bad-${randomBytes(3).toString('hex')}`;
    const shop = await startShopWith(service, { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20not-the-token' });
    for (let i = 0; i < REQUESTS; i++) expect((await fetch(`${shop.baseUrl}/products/${(i % 8) + 1}`)).status).toBe(200);

    const dropped = async (): Promise<number> =>
      (await scrapeMetrics(`http://127.0.0.1:${shop.metricsPort}/metrics`)).samples
        .filter((s) => s.name === 'o4o_telemetry_dropped_total' && s.labels.signal === 'traces' && s.labels.reason === 'rejected')
        .reduce((n, s) => n + s.value, 0);
    const deadline = Date.now() + 30_000;
    while ((await dropped()) < REQUESTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(await dropped()).toBeGreaterThanOrEqual(REQUESTS);
    // One line a minute for all export failures: whichever signal failed first is named.
    expect(shop.shop.stderr()).toMatch(/telemetry export failed: (traces|logs) .*401/);
    expect(productSpans(service)).toBe(0);
    expect(shop.shop.child.exitCode).toBeNull();
  }, 90_000);

  test('raw OTLP requests: 401 without or with a wrong token, 200 with the right one; plain HTTP is refused', async () => {
    const url = `${collector.otlpHttpUrl}/v1/traces`;
    const body = (traceId: string): unknown => tracesBody('auth-raw', [{ traceId, spanId: newSpanId(), name: 'raw', startNanos: BigInt(Date.now()) * 1_000_000n, durationMillis: 1 }]);
    const [missing, wrong, right, plain] = [newTraceId(), newTraceId(), newTraceId(), newTraceId()];

    expect((await postOtlp(url, body(missing), { ca: pki.ca })).status).toBe(401);
    expect((await postOtlp(url, body(wrong), { ca: pki.ca, token: 'not-the-token' })).status).toBe(401);
    expect((await postOtlp(url, body(right), { ca: pki.ca, token: pki.token })).status).toBe(200);
    // Go's TLS listener answers a plaintext request with 400 and closes; nothing is accepted.
    const plainAnswer = await postOtlp(url.replace('https:', 'http:'), body(plain), { token: pki.token }).catch((e: Error) => ({ status: 0, text: e.message }));
    expect(plainAnswer.status).not.toBe(200);
    expect(plainAnswer.text).toMatch(/HTTP request to an HTTPS server|ECONNRESET|socket hang up/);

    await sink.waitFor(() => sink.spans.some((s) => s.traceId === right), 15_000, 'the accepted span');
    await new Promise((r) => setTimeout(r, 1_500));
    const arrived = new Set(sink.spans.map((s) => s.traceId));
    expect([missing, wrong, right, plain].map((t) => arrived.has(t))).toEqual([false, false, true, false]);
  }, 60_000);
});
