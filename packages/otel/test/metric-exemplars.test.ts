/**
 * Trace exemplars on `http.server.request.duration`, served by the preload's
 * /metrics: OpenMetrics with `# {trace_id,span_id}` exemplars when the scraper
 * asks for it, the Prometheus text format unchanged otherwise; every exemplar
 * names a SERVER span that was sampled and exported, on the bucket its
 * duration fell into; at 10 % sampling still only sampled requests; with
 * sampling off, none.
 */
import { execFileSync } from 'node:child_process';
import type { ReceivedSpan } from '@o4o/test-utils';
import { SERVER, startApp, type AppUnderTest } from './helpers';

/** What Prometheus 2.x sends. */
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

interface ExemplarLine {
  readonly route: string | undefined;
  readonly le: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly value: number;
}

async function scrape(url: string, accept?: string): Promise<{ contentType: string; text: string }> {
  const response = await fetch(url, { headers: accept === undefined ? {} : { accept }, signal: AbortSignal.timeout(5_000) });
  return { contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

function exemplarLines(text: string): ExemplarLine[] {
  const found: ExemplarLine[] = [];
  for (const line of text.split('\n')) {
    const match = /^http_server_request_duration_bucket\{(.*)\} \d+ # \{trace_id="([0-9a-f]{32})",span_id="([0-9a-f]{16})"\} (\S+) \d+\.\d{3}$/.exec(line);
    if (match === null) continue;
    found.push({ route: /http_route="([^"]*)"/.exec(match[1]!)?.[1], le: /le="([^"]*)"/.exec(match[1]!)![1]!, traceId: match[2]!, spanId: match[3]!, value: Number(match[4]) });
  }
  return found;
}

async function drive(t: AppUnderTest, requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`${t.app.baseUrl}/products/${i}`);
    await response.arrayBuffer();
  }
}

describe('exemplars with every request sampled', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script: 'random-urls.js', env: { OTEL_LOGS_EXPORTER: 'none' } });
  });
  afterAll(() => t.stop());

  test('an OpenMetrics scrape carries exemplars of exported SERVER spans, each on the bucket its value fell into', async () => {
    await drive(t, 30);
    const { contentType, text } = await scrape(t.metricsUrl, PROMETHEUS_ACCEPT);
    expect(contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    const exemplars = exemplarLines(text);
    expect(exemplars.length).toBeGreaterThan(0);
    const bounds = text.split('\n').filter((l) => l.startsWith('http_server_request_duration_bucket{') && l.includes('http_route="/products/:id"')).map((l) => /le="([^"]*)"/.exec(l)![1]!);
    for (const exemplar of exemplars) {
      expect(exemplar.route).toBe('/products/:id');
      // Within its bucket: above the previous bound, at most its own.
      const i = bounds.indexOf(exemplar.le);
      expect(exemplar.value).toBeLessThanOrEqual(exemplar.le === '+Inf' ? Infinity : Number(exemplar.le));
      if (i > 0) expect(exemplar.value).toBeGreaterThan(Number(bounds[i - 1]));
    }
    const isServer = (e: ExemplarLine) => (s: ReceivedSpan): boolean => s.kind === SERVER && s.traceId === e.traceId && s.spanId === e.spanId;
    await t.receiver.waitFor(() => exemplars.every((e) => t.receiver.spans.some(isServer(e))), 15_000, 'the exemplars’ SERVER spans');
    for (const e of exemplars) expect(t.receiver.spans.find(isServer(e))!.attributes['http.route']).toBe('/products/:id');
  });

  test('a scrape that does not ask for OpenMetrics gets the Prometheus text format, without exemplars, accepted by promtool', async () => {
    await drive(t, 5);
    for (const accept of [undefined, 'text/plain;version=0.0.4', '*/*']) {
      const { contentType, text } = await scrape(t.metricsUrl, accept);
      expect(contentType).toBe('text/plain');
      expect(text).toContain('# UNIT http_server_request_duration s');
      expect(text).not.toContain('# {');
      expect(text).not.toContain('# EOF');
      const output = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(output).not.toMatch(/error/i);
    }
  });
});

describe('exemplars at 10 % head sampling', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script: 'random-urls.js', env: { OTEL_LOGS_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } });
  });
  afterAll(() => t.stop());

  test('come from sampled requests only, all of which were exported', async () => {
    await drive(t, 200);
    const exemplars = exemplarLines((await scrape(t.metricsUrl, PROMETHEUS_ACCEPT)).text);
    expect(exemplars.length).toBeGreaterThan(0);
    await t.receiver.waitFor(() => exemplars.every((e) => t.receiver.spans.some((s) => s.traceId === e.traceId && s.spanId === e.spanId)), 15_000, 'the sampled spans');
    const servers = t.receiver.spans.filter((s) => s.kind === SERVER);
    // Roughly one in ten sampled: far fewer spans than requests.
    expect(servers.length).toBeLessThan(100);
  });
});

describe('exemplars with sampling off', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script: 'random-urls.js', env: { OTEL_LOGS_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'always_off' } });
  });
  afterAll(() => t.stop());

  test('none, while the histogram still counts every request', async () => {
    await drive(t, 20);
    const { text } = await scrape(t.metricsUrl, PROMETHEUS_ACCEPT);
    expect(exemplarLines(text)).toEqual([]);
    expect(text).toMatch(/^http_server_request_duration_count\{[^}]*http_route="\/products\/:id"[^}]*\} 20$/m);
  });
});
