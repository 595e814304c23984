/**
 * Trace exemplars on the service's own HTTP histogram, end to end: the shop
 * under the preload at 10 % head sampling, scraped by the o4o collector over
 * OpenMetrics, written to Prometheus by remote write; Prometheus' exemplar API
 * returns trace ids on `http_server_request_duration_bucket`, and each resolves
 * in Jaeger to the SERVER span of a request of the route its series names.
 *
 *   shop (preload, /metrics) --OpenMetrics scrape--> collector --remote write--> Prometheus
 *        \--OTLP traces (sampled 1 in 10)----------> collector --OTLP--------> Jaeger
 */
import { eventually, jaegerTrace, promExemplars, promQuery, tag } from '../src/backends';
import { startShop, type RunningShop } from '../src/shop';

const SERVICE = 'shop-api'; // the collector's local scrape job names the scraped series after it
/** Where the collector's prometheus/services job scrapes: base.yaml's default, or the stack's own setting. */
const METRICS_PORT = Number((process.env.O4O_SERVICE_METRICS_TARGET ?? '127.0.0.1:9464').split(':').pop());
const HISTOGRAM = `http_server_request_duration_bucket{job="${SERVICE}"}`;

describe('exemplars on http.server.request.duration: Prometheus to Jaeger', () => {
  let shop: RunningShop;
  const startedAt = Date.now() / 1000;

  beforeAll(async () => {
    shop = await startShop({
      serviceName: SERVICE,
      port: 0,
      metricsPort: METRICS_PORT,
      providerEnv: { PAYMENT_FAILURE_RATE: '0' },
      env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    });
    // Enough requests that some tens are sampled; two routes, so exemplars sit on different series.
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${shop.baseUrl}${i % 3 === 0 ? '/products' : `/products/${(i % 8) + 1}`}`);
      await response.arrayBuffer();
    }
  });
  afterAll(() => shop?.stop());

  test('the exemplar API has trace ids on the HTTP histogram buckets, and each names a sampled SERVER span in Jaeger', async () => {
    type Found = { traceId: string; spanId: string; route: string | undefined; le: string | undefined; value: number };
    const fresh = (series: Awaited<ReturnType<typeof promExemplars>>): Found[] =>
      series.flatMap((s) =>
        s.exemplars
          .filter((e) => e.timestamp >= startedAt && e.labels.trace_id !== undefined)
          .map((e) => ({ traceId: e.labels.trace_id!, spanId: e.labels.span_id ?? '', route: s.seriesLabels.http_route, le: s.seriesLabels.le, value: Number(e.value) })),
      );
    const exemplars = fresh(await eventually(() => promExemplars(HISTOGRAM, startedAt, Date.now() / 1000 + 60), (series) => fresh(series).length >= 2, 'exemplars on http_server_request_duration_bucket', 150_000));

    for (const exemplar of exemplars.slice(0, 5)) {
      expect(exemplar.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(exemplar.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(['/products', '/products/:id']).toContain(exemplar.route);
      // On the bucket it fell into: at most that bucket's bound.
      expect(exemplar.value).toBeLessThanOrEqual(exemplar.le === '+Inf' ? Infinity : Number(exemplar.le));
      const trace = await eventually(() => jaegerTrace(exemplar.traceId), (t) => t?.spans.some((s) => s.spanID === exemplar.spanId) === true, `trace ${exemplar.traceId} in Jaeger`);
      const server = trace!.spans.find((s) => s.spanID === exemplar.spanId)!;
      expect(tag(server, 'span.kind')).toBe('server');
      expect(tag(server, 'http.route')).toBe(exemplar.route);
      expect(trace!.processes[server.processID]!.serviceName).toBe(SERVICE);
    }
  });

  test('the series Prometheus stores keep their names and le values (OpenMetrics changed only the wire format)', async () => {
    const bucket = `${HISTOGRAM.slice(0, -1)},http_route="/products/:id"}`;
    const series = await eventually(() => promQuery(`timestamp(${bucket}) > ${Math.floor(startedAt)}`), (s) => s.length >= 20, `fresh ${bucket} series`, 120_000);
    const les = series.map((s) => s.metric.le);
    expect(les).toEqual(expect.arrayContaining(['0.005', '0.5', '1', '10', '+Inf']));
    expect(les).not.toContain('1.0');
    // A counter scraped from the same endpoint keeps its _total name; no unit suffix was added to the histogram.
    await eventually(() => promQuery(`timestamp(nodejs_eventloop_time_total{job="${SERVICE}"}) > ${Math.floor(startedAt)}`), (s) => s.length > 0, 'fresh nodejs_eventloop_time_total');
    expect(await promQuery(`http_server_request_duration_seconds_bucket{job="${SERVICE}"}`)).toEqual([]);
  });
});
