/**
 * Hot histograms against the metrics SDK: the same measurements, recorded once
 * through an SDK histogram (with the views metrics.ts sets) and once through
 * ours, must read the same: the Prometheus exposition byte for byte, and the
 * data points a push reader gets, for cumulative and delta readers, over
 * several collections, past the cardinality limit, with scopes of other kinds
 * around them.
 */
import { AggregationTemporality, AggregationType, MeterProvider, MetricReader, type MetricProducer, type MetricReaderOptions, type ResourceMetrics, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TraceFlags, type Attributes, type Meter } from '@opentelemetry/api';
import { HTTP_DURATION_BUCKETS } from '../src/metrics';
import { DB_DURATION_BUCKETS } from '../src/db/metric-names';
import { HotMetrics } from '../src/hot-metrics/registry';
import { HotMeterProvider, createDurationHistogram } from '../src/hot-metrics/meter-provider';
import { inScrapeOrder } from '../src/hot-metrics/scope-order';
import { AttributeVariants } from '../src/hot-metrics/attribute-variants';
import { exemplarsOf } from '../src/hot-metrics/exemplar-points';
import type { DurationHistogram } from '../src/hot-metrics/hot-histogram';

class TestReader extends MetricReader {
  constructor(options: MetricReaderOptions) {
    super(options);
  }
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const HTTP = 'http.server.request.duration';
const DB = 'db.client.operation.duration';
const resource = resourceFromAttributes({ 'service.name': 'shop-api', 'service.instance.id': 'i-1' });

function views(limit: number): ViewOptions[] {
  return [
    [HTTP, HTTP_DURATION_BUCKETS],
    [DB, DB_DURATION_BUCKETS],
  ].map(([instrumentName, boundaries]) => ({
    instrumentName: instrumentName as string,
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...(boundaries as number[])] } },
    aggregationCardinalityLimit: limit,
  }));
}

interface Pipeline {
  readonly http: DurationHistogram;
  readonly db: DurationHistogram;
  /** One collection per reader, in reader order. */
  collect(): Promise<ResourceMetrics[]>;
  /** A collection by one reader only. */
  collectOne(index: number): Promise<ResourceMetrics>;
  /** The scrape text of the first reader's collection. */
  scrape(collected: ResourceMetrics): string;
}

interface Setup {
  readonly limit?: number;
  readonly temporalities?: AggregationTemporality[];
  /** Other instruments around ours: an observable gauge in a scope created first, a counter in one created between. */
  readonly neighbours?: boolean;
}

function neighboursBefore(meter: (name: string) => Meter): void {
  meter('runtime').createObservableGauge('nodejs.eventloop.utilization', { description: 'Event loop utilization' }).addCallback((r) => r.observe(0.5));
}

function neighboursBetween(meter: (name: string) => Meter): void {
  meter('business').createCounter('o4o.orders.placed', { description: 'Orders placed' }).add(3, { status: 'confirmed' });
}

function build(setup: Setup, hotPath: boolean): Pipeline {
  const limit = setup.limit ?? 2000;
  const temporalities = setup.temporalities ?? [AggregationTemporality.CUMULATIVE];
  const hot = new HotMetrics({ histograms: { [HTTP]: HTTP_DURATION_BUCKETS, [DB]: DB_DURATION_BUCKETS }, cardinalityLimit: limit, resource });
  const readers = temporalities.map(
    (temporality) =>
      new TestReader({
        aggregationTemporalitySelector: () => temporality,
        cardinalitySelector: () => limit,
        metricProducers: hotPath ? [hot.createProducer(temporality) as MetricProducer] : [],
      }),
  );
  const options = { resource, readers, views: views(limit) };
  const provider = hotPath ? new HotMeterProvider(options, hot) : new MeterProvider(options);
  const meter = (name: string): Meter => provider.getMeter(`@o4o/otel/${name}`, '0.1.0');
  if (setup.neighbours) neighboursBefore(meter);
  const histogram = (scope: string, name: string, description: string): DurationHistogram => {
    if (hotPath) return createDurationHistogram(meter(scope), name, { description, unit: 's' });
    const sdk = meter(scope).createHistogram(name, { description, unit: 's' });
    return { record: (value, attributes) => sdk.record(value, attributes) };
  };
  const db = histogram('typeorm', DB, 'Duration of database client operations.');
  if (setup.neighbours) neighboursBetween(meter);
  const http = histogram('http-server', HTTP, 'Duration of HTTP server requests.');
  const serializer = new PrometheusSerializer('', false, undefined, false, true);
  return {
    http,
    db,
    collect: () => Promise.all(readers.map(async (reader) => (await reader.collect()).resourceMetrics)),
    collectOne: async (index) => (await readers[index]!.collect()).resourceMetrics,
    scrape: (collected) => serializer.serialize({ resource: collected.resource, scopeMetrics: hotPath ? inScrapeOrder(collected.scopeMetrics, hot) : collected.scopeMetrics }),
  };
}

/** Deterministic measurements: every bucket, the boundaries themselves, zero and the overflow bucket. */
function* durations(count: number, boundaries: readonly number[]): Generator<number> {
  let seed = 7;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const r = seed / 2147483648;
    if (i % 17 === 0) yield boundaries[i % boundaries.length]!;
    else if (i % 29 === 0) yield 0;
    else if (i % 31 === 0) yield boundaries[boundaries.length - 1]! * (1 + r);
    else yield r * r * boundaries[boundaries.length - 1]! * 0.5;
  }
}

const frozen = (attributes: Attributes): Attributes => Object.freeze(attributes);
const routes = ['/products', '/products/:id', '/orders', '/orders/:id', '/health', '/cart'];
const httpSets = routes.map((route, i) => frozen({ 'http.request.method': i % 2 ? 'POST' : 'GET', 'url.scheme': 'http', 'http.response.status_code': 200, 'network.protocol.version': '1.1', 'http.route': route }));
const dbSets = ['SELECT', 'INSERT', 'UPDATE'].map((op) => frozen({ 'db.system.name': 'sqlite', 'db.namespace': ':memory:', 'db.operation.name': op }));
const variants = new AttributeVariants();

/** Records the same measurements into a pipeline: frozen sets, unfrozen copies of them, error variants. */
function recordAll(p: Pipeline, count: number, sets = httpSets.length): void {
  let i = 0;
  for (const value of durations(count, HTTP_DURATION_BUCKETS)) {
    const set = httpSets[i % sets]!;
    // Every seventh comes as a fresh (unfrozen) object with the same content: the same series.
    p.http.record(value, i % 7 === 0 ? { ...set } : set);
    i++;
  }
  i = 0;
  for (const value of durations(count, DB_DURATION_BUCKETS)) {
    const set = dbSets[i % dbSets.length]!;
    p.db.record(value, i % 5 === 0 ? variants.with(set, 'error.type', i % 10 === 0 ? 'QueryFailedError' : 'SqliteError') : set);
    i++;
  }
}

const sameTime = (a: readonly number[], b: readonly number[]): boolean => a[0] === b[0] && a[1] === b[1];

/** One reader's previous collection: when it ended, and the series it reported (`scope/name/attributes`). */
interface PreviousCollection {
  readonly end: readonly number[] | undefined;
  readonly series: ReadonlySet<string>;
}

const seriesKey = (scope: string, name: string, attributes: object): string => `${scope}/${name}/${JSON.stringify(attributes)}`;

/**
 * A push reader's view: everything but times, which the two paths take at
 * different instants.
 */
function pointsOf(collected: ResourceMetrics): unknown {
  return collected.scopeMetrics
    .flatMap((s) =>
      s.metrics.map((m) => ({
        scope: s.scope.name,
        name: m.descriptor.name,
        unit: m.descriptor.unit,
        temporality: m.aggregationTemporality,
        points: m.dataPoints.map((d) => ({ attributes: d.attributes, value: d.value })),
      })),
    )
    .sort((a, b) => `${a.scope}/${a.name}`.localeCompare(`${b.scope}/${b.name}`));
}

/**
 * Delta points whose start does not say what the series did: a series the
 * reader reported last time starts where that collection ended, any other at
 * its own first measurement. The SDK's points are not held to this here: it
 * takes measurement and collection times from `Date.now()`, so a series first
 * measured in the millisecond of a collection starts at that collection's end.
 */
function misdatedDeltaPoints(collected: ResourceMetrics, previous: PreviousCollection | undefined): string[] {
  return collected.scopeMetrics.flatMap((s) =>
    s.metrics
      .filter((m) => m.aggregationTemporality === AggregationTemporality.DELTA)
      .flatMap((m) =>
        m.dataPoints
          .filter((d) => {
            const startsAtPrevious = previous?.end !== undefined && sameTime(d.startTime, previous.end);
            const reported = previous?.series.has(seriesKey(s.scope.name, m.descriptor.name, d.attributes)) ?? false;
            return startsAtPrevious !== reported;
          })
          .map((d) => seriesKey(s.scope.name, m.descriptor.name, d.attributes)),
      ),
  );
}

/** What `collected` leaves for the next collection's comparison: after a collection that reported nothing, nothing continues. */
function previousAfter(collected: ResourceMetrics): PreviousCollection {
  const points = collected.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints.map((d) => ({ key: seriesKey(s.scope.name, m.descriptor.name, d.attributes), end: d.endTime }))));
  return { end: points[0]?.end, series: new Set(points.map((p) => p.key)) };
}

describe('hot histograms read as the SDK histograms they replace', () => {
  test('the Prometheus exposition is byte-identical, scope order included, over several scrapes', async () => {
    const sdk = build({ neighbours: true }, false);
    const ours = build({ neighbours: true }, true);
    for (const count of [500, 1, 2000]) {
      recordAll(sdk, count);
      recordAll(ours, count);
      const [sdkText, ourText] = [sdk.scrape((await sdk.collect())[0]!), ours.scrape((await ours.collect())[0]!)];
      expect(ourText).toContain('http_server_request_duration_bucket{');
      expect(ourText).toContain('db_client_operation_duration_count{');
      expect(ourText).toBe(sdkText);
    }
  });

  test('past the cardinality limit: the same series, and the rest in otel.metric.overflow=true', async () => {
    const sdk = build({ limit: 4 }, false);
    const ours = build({ limit: 4 }, true);
    recordAll(sdk, 300);
    recordAll(ours, 300);
    const [sdkText, ourText] = [sdk.scrape((await sdk.collect())[0]!), ours.scrape((await ours.collect())[0]!)];
    expect(ourText).toContain('otel_metric_overflow="true"');
    expect(ourText.split('\n').filter((l) => l.startsWith('http_server_request_duration_count'))).toHaveLength(4);
    expect(ourText).toBe(sdkText);
  });

  test('a cumulative and a delta reader side by side get what the SDK gives each, however their collections interleave', async () => {
    const temporalities = [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA];
    const sdk = build({ temporalities }, false);
    const ours = build({ temporalities }, true);
    const previous: (PreviousCollection | undefined)[] = [];
    // [measurements, attribute sets in use, readers that collect]: some series idle some rounds, readers out of step.
    const rounds: [number, number, number[]][] = [
      [300, 6, [0]],
      [100, 6, [0]],
      [400, 6, [0, 1]],
      [50, 2, [0]],
      [70, 3, [0]],
      [0, 6, [1]],
      [30, 6, [1, 0]],
      [900, 4, [0, 1]],
      [10, 1, [1]],
    ];
    for (const [count, sets, collecting] of rounds) {
      recordAll(sdk, count, sets);
      recordAll(ours, count, sets);
      for (const index of collecting) {
        const [sdkCollected, ourCollected] = [await sdk.collectOne(index), await ours.collectOne(index)];
        expect(pointsOf(ourCollected)).toEqual(pointsOf(sdkCollected));
        expect(misdatedDeltaPoints(ourCollected, previous[index])).toEqual([]);
        previous[index] = previousAfter(ourCollected);
      }
    }
  });

  test('values the SDK refuses (negative, non-number) or ignores (NaN) are not counted', async () => {
    const ours = build({}, true);
    ours.http.record(-1, httpSets[0]!);
    ours.http.record(Number.NaN, httpSets[0]!);
    ours.http.record('0.2' as unknown as number, httpSets[0]!);
    ours.http.record(0.2, httpSets[0]!);
    const [collected] = await ours.collect();
    const point = collected!.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === HTTP)!.dataPoints[0]!;
    expect(point.value).toMatchObject({ count: 1, sum: 0.2, min: 0.2, max: 0.2 });
  });
});

describe('exemplars', () => {
  const sampled = (n: number) => ({ traceId: n.toString(16).padStart(32, '0'), spanId: n.toString(16).padStart(16, '0'), traceFlags: TraceFlags.SAMPLED });

  test("a sampled measurement becomes its bucket's exemplar, the latest one wins; unsampled ones leave none", async () => {
    const ours = build({}, true);
    const set = httpSets[0]!;
    ours.http.record(0.003, set, sampled(1)); // bucket le=0.005
    ours.http.record(0.004, set, sampled(2)); // same bucket, newer
    ours.http.record(0.4, set, sampled(3)); // le=0.5
    ours.http.record(1.2, set, { ...sampled(4), traceFlags: TraceFlags.NONE }); // le=1.5, not sampled
    const [collected] = await ours.collect();
    const point = collected!.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === HTTP)!.dataPoints[0]!;
    const exemplars = exemplarsOf(point as never)!;
    const at = (le: number): unknown => exemplars[HTTP_DURATION_BUCKETS.indexOf(le)];
    expect(at(0.005)).toMatchObject({ traceId: sampled(2).traceId, spanId: sampled(2).spanId, value: 0.004 });
    expect(at(0.5)).toMatchObject({ traceId: sampled(3).traceId, value: 0.4 });
    expect(at(1.5)).toBeUndefined();
    expect(exemplars.filter((e) => e !== undefined)).toHaveLength(2);
  });
});
