/**
 * The OpenMetrics exposition and the choice between it and the Prometheus
 * text format: the same samples as the text format (names, labels, values),
 * OpenMetrics' own rules (counter families without `_total`, no `# UNIT` that
 * is not a name suffix, canonical `le`, buckets before `_count`, `# EOF`), and
 * an exemplar on each bucket a sampled request fell into.
 */
import { AggregationTemporality, MetricReader, type MetricReaderOptions, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TraceFlags } from '@opentelemetry/api';
import { HTTP_DURATION_BUCKETS } from '../src/metrics';
import { HotMetrics } from '../src/hot-metrics/registry';
import { HotMeterProvider, createDurationHistogram } from '../src/hot-metrics/meter-provider';
import { inScrapeOrder } from '../src/hot-metrics/scope-order';
import { canonicalNumber, serializeOpenMetrics } from '../src/scrape/openmetrics';
import { negotiateExposition } from '../src/scrape/negotiation';

class TestReader extends MetricReader {
  constructor(options: MetricReaderOptions) {
    super(options);
  }
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

/** A service's collection: the hot HTTP histogram with exemplars, a counter, a gauge, an SDK histogram with a unit. */
async function collection(): Promise<{ collected: ResourceMetrics; hot: HotMetrics }> {
  const resource = resourceFromAttributes({ 'service.name': 'shop-api', 'deployment.environment.name': 'test "quoted"' });
  const hot = new HotMetrics({ histograms: { 'http.server.request.duration': HTTP_DURATION_BUCKETS }, cardinalityLimit: 2000, resource });
  const reader = new TestReader({ metricProducers: [hot.createProducer(AggregationTemporality.CUMULATIVE)] });
  const provider = new HotMeterProvider({ resource, readers: [reader] }, hot);
  const http = createDurationHistogram(provider.getMeter('@o4o/otel/http-server'), 'http.server.request.duration', { description: 'Duration of HTTP server requests.', unit: 's' });
  const route = Object.freeze({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'http.route': '/products/:id' });
  http.record(0.004, route, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED });
  http.record(0.7, route, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE });
  http.record(12, route);
  const business = provider.getMeter('@o4o/otel/business');
  business.createCounter('o4o.orders.placed', { description: 'Orders placed, by "status".', unit: '{order}' }).add(2, { status: 'confirmed' });
  business.createObservableGauge('o4o.users.active', { description: 'Users active.' }).addCallback((r) => r.observe(5));
  business.createHistogram('v8js.gc.duration', { description: 'GC duration.', unit: 's' }).record(0.002, { 'v8js.gc.type': 'minor' });
  return { collected: (await reader.collect()).resourceMetrics, hot };
}

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly exemplar?: string;
}

/** Sample lines of either format; `le` compared as a number, as Prometheus does. */
function samples(text: string): Sample[] {
  const result: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*?)\})? (\S+)(?: # (.*))?$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = key === 'le' && value !== '+Inf' ? String(Number(value)) : value!;
    result.push({ name: match[1]!, labels, value: match[3] === '+Inf' ? Infinity : Number(match[3]), ...(match[4] === undefined ? {} : { exemplar: match[4] }) });
  }
  return result;
}

const key = (s: Sample): string => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;

describe('OpenMetrics exposition', () => {
  test('the same samples as the Prometheus text format', async () => {
    const { collected, hot } = await collection();
    const arranged = { resource: collected.resource, scopeMetrics: inScrapeOrder(collected.scopeMetrics, hot) };
    const text = new PrometheusSerializer('', false, undefined, false, true).serialize(arranged);
    const om = serializeOpenMetrics(arranged);
    const strip = (list: Sample[]): Omit<Sample, 'exemplar'>[] => list.map(({ name, labels, value }) => ({ name, labels, value })).sort((a, b) => key(a).localeCompare(key(b)));
    expect(strip(samples(om))).toEqual(strip(samples(text)));
    expect(samples(text).length).toBeGreaterThan(20);
  });

  test("OpenMetrics' own rules: counter family names, units, canonical le, sample order, EOF", async () => {
    const { collected } = await collection();
    const om = serializeOpenMetrics(collected);
    expect(om.endsWith('\n# EOF\n')).toBe(true);
    expect(om).toContain('# TYPE o4o_orders_placed counter\n');
    expect(om).toContain('\no4o_orders_placed_total{status="confirmed"} 2\n');
    expect(om).toContain('# HELP o4o_orders_placed Orders placed, by \\"status\\".\n');
    // `s` is no suffix of these names: a UNIT line would fail the whole scrape.
    expect(om).not.toContain('# UNIT');
    expect(om).toContain('# TYPE http_server_request_duration histogram\n');
    expect(om).toContain('le="1.0"');
    expect(om).toContain('le="0.005"');
    expect(om).toContain('le="10.0"');
    expect(om).not.toMatch(/le="1"/);
    expect(om).toContain('deployment_environment_name="test \\"quoted\\""');
    const lines = om.split('\n').filter((l) => l.startsWith('http_server_request_duration'));
    expect(lines.map((l) => /^http_server_request_duration_(\w+)/.exec(l)![1])).toEqual([...HTTP_DURATION_BUCKETS.map(() => 'bucket'), 'bucket', 'count', 'sum']);
    expect(lines.at(-3)).toMatch(/le="\+Inf"\} 3$/);
  });

  test('an exemplar on the bucket the sampled request fell into, and on no other', async () => {
    const { collected } = await collection();
    const withExemplar = samples(serializeOpenMetrics(collected)).filter((s) => s.exemplar !== undefined);
    expect(withExemplar).toHaveLength(1);
    expect(withExemplar[0]!.labels.le).toBe('0.005');
    expect(withExemplar[0]!.exemplar).toMatch(new RegExp(`^\\{trace_id="${TRACE}",span_id="${SPAN}"\\} 0\\.004 \\d{10}\\.\\d{3}$`));
  });

  test.each([
    [0.005, '0.005'],
    [0.0005, '0.0005'],
    [0.00001, '1e-05'],
    [1, '1.0'],
    [7.5, '7.5'],
    [10, '10.0'],
    [100000, '100000.0'],
    [1000000, '1e+06'],
    [0, '0.0'],
    [Infinity, '+Inf'],
  ])('canonical number %p is %p', (value, expected) => {
    expect(canonicalNumber(value)).toBe(expected);
  });
});

describe('exposition negotiation', () => {
  test.each([
    [undefined, 'text'],
    ['', 'text'],
    ['*/*', 'text'],
    ['text/plain', 'text'],
    ['text/plain;version=0.0.4', 'text'],
    // Prometheus 2.x
    ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
    // Prometheus 3.x and the collector's receiver built on it
    ['application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1', 'openmetrics'],
    // A scraper configured for the text format first
    ['text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
    ['Application/OpenMetrics-Text; version=1.0.0', 'openmetrics'],
  ])('Accept %p gets %p', (accept, expected) => {
    expect(negotiateExposition(accept)).toBe(expected);
  });
});
