/**
 * An explicit-bucket histogram aggregated by this package instead of the
 * metrics SDK, for the instruments recorded on every request
 * (`http.server.request.duration`, `db.client.operation.duration`).
 *
 * The SDK hashes the attribute set of every measurement (sorts its keys and
 * JSON-encodes it) to find its series: about 0.6 us of the ~1 us a record costs.
 * Our instrumentations pass frozen attribute objects they build once per
 * attribute set, so the object itself identifies the series: one WeakMap
 * look-up per record, the content hash only the first time an object is seen.
 * An object that is not frozen could change after it was seen, so it is
 * hashed on every record, as the SDK does.
 *
 * Otherwise it behaves as the SDK's histogram with a cardinality limit: the
 * same buckets (upper bounds inclusive), sum, count, min and max; negative and
 * non-number values refused with a diag warning, NaN ignored; at most
 * `cardinalityLimit - 1` series, after which new attribute sets are aggregated
 * into the series `otel.metric.overflow=true`. Unlike the SDK, which admits new
 * sets again after each collection, the limit holds for the life of the process,
 * so the memory it keeps is bounded too.
 *
 * Readers: each measurement lands in the series' pending interval. A reader's
 * collection drains every pending interval into a stash per reader, as the
 * SDK's temporal processor does, and the reader reports from its stash
 * (cumulative: everything so far; delta: what came since its last collection).
 *
 * Exemplars: a measurement made under a sampled span keeps that span's trace
 * and span ids as its bucket's exemplar, replacing the previous one: each
 * bucket shows the most recent sampled request that fell into it.
 */
import { diag, TraceFlags, type Attributes, type SpanContext } from '@opentelemetry/api';
import { Accumulation, epochMillis } from './accumulation';

/** The attribute set the metrics SDK aggregates measurements into beyond the cardinality limit. */
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

export interface HistogramOptions {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Upper bounds of the buckets, increasing; a last bucket above them is implied. */
  readonly boundaries: readonly number[];
  /** Series kept, the overflow series included (the SDK's `aggregationCardinalityLimit`). */
  readonly cardinalityLimit: number;
}

/** The most recent sampled measurement of a bucket. */
export interface Exemplar {
  readonly traceId: string;
  readonly spanId: string;
  readonly value: number;
  readonly timeMillis: number;
}

/** A histogram that takes the span a measurement belongs to, for exemplars. */
export interface DurationHistogram {
  record(value: number, attributes: Attributes, span?: SpanContext): void;
}

/** One reader's share of a series: drained intervals it has not reported, and what it has. */
export interface ReaderStash {
  unreported: Accumulation | undefined;
  /** Cumulative readers: everything reported so far. */
  reported: Accumulation | undefined;
  /** Delta readers: whether the previous collection reported this series. */
  reportedLast: boolean;
}

export class HistogramSeries {
  pending: Accumulation;
  readonly stashes: ReaderStash[] = [];
  /** Per bucket; allocated with the first sampled measurement. */
  exemplars: (Exemplar | undefined)[] | undefined;

  constructor(
    readonly attributes: Attributes,
    buckets: number,
  ) {
    this.pending = new Accumulation(buckets);
  }
}

/** The SDK's series key: sorted `[key, value]` pairs as JSON (sdk-metrics `hashAttributes`). */
export function attributesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  keys.sort();
  return JSON.stringify(keys.map((key) => [key, attributes[key]]));
}

/** Index of the first boundary >= value, or `boundaries.length`: the SDK's `binarySearchUB`. */
export function bucketIndex(boundaries: readonly number[], value: number): number {
  let lo = 0;
  let hi = boundaries.length - 1;
  let found = boundaries.length;
  while (hi >= lo) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid]! < value) lo = mid + 1;
    else {
      found = mid;
      hi = mid - 1;
    }
  }
  return found;
}

const EMPTY: Attributes = Object.freeze({});

export class HotHistogram implements DurationHistogram {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly boundaries: readonly number[];
  /** Every series, in the order its first measurement arrived (the SDK's export order). */
  readonly series: HistogramSeries[] = [];
  private readonly buckets: number;
  private readonly maxSeries: number;
  private readonly byIdentity = new WeakMap<Attributes, HistogramSeries>();
  private readonly byContent = new Map<string, HistogramSeries>();
  private overflow: HistogramSeries | undefined;

  constructor(options: HistogramOptions) {
    this.name = options.name;
    this.description = options.description;
    this.unit = options.unit;
    this.boundaries = Object.freeze([...options.boundaries]);
    this.buckets = this.boundaries.length + 1;
    this.maxSeries = Math.max(0, options.cardinalityLimit - 1);
  }

  record(value: number, attributes: Attributes, span?: SpanContext): void {
    if (typeof value !== 'number' || !(value >= 0)) {
      // As the SDK: NaN is dropped silently, negatives and non-numbers with a warning.
      if (!Number.isNaN(value)) diag.warn(`${typeof value === 'number' ? 'negative' : 'non-number'} value provided to histogram ${this.name}: ${String(value)}`);
      return;
    }
    const series = this.byIdentity.get(attributes) ?? this.seriesOf(attributes ?? EMPTY);
    const pending = series.pending;
    if (pending.count === 0) pending.startMillis = epochMillis();
    pending.count += 1;
    pending.sum += value;
    if (value < pending.min) pending.min = value;
    if (value > pending.max) pending.max = value;
    const bucket = bucketIndex(this.boundaries, value);
    pending.counts[bucket] = pending.counts[bucket]! + 1;
    if (span !== undefined && (span.traceFlags & TraceFlags.SAMPLED) !== 0) {
      (series.exemplars ??= new Array<Exemplar | undefined>(this.buckets))[bucket] = { traceId: span.traceId, spanId: span.spanId, value, timeMillis: epochMillis() };
    }
  }

  /** Hands every series' pending interval to each of `readers` stashes, as a collection does. */
  drain(readers: number): void {
    for (const series of this.series) {
      const pending = series.pending;
      if (pending.count === 0) continue;
      series.pending = new Accumulation(this.buckets);
      for (let r = 0; r < readers; r++) {
        const stash = (series.stashes[r] ??= { unreported: undefined, reported: undefined, reportedLast: false });
        if (stash.unreported === undefined) stash.unreported = r === readers - 1 ? pending : pending.copy();
        else stash.unreported.add(pending);
      }
    }
  }

  private seriesOf(attributes: Attributes): HistogramSeries {
    const key = attributesKey(attributes);
    let series = this.byContent.get(key);
    if (series === undefined) {
      if (this.byContent.size < this.maxSeries) {
        series = this.addSeries(attributes);
        this.byContent.set(key, series);
      } else {
        series = this.overflowSeries();
      }
    }
    // A frozen object cannot change, so it names this series from now on.
    if (Object.isFrozen(attributes)) this.byIdentity.set(attributes, series);
    return series;
  }

  private overflowSeries(): HistogramSeries {
    if (this.overflow === undefined) {
      this.overflow = this.addSeries(OVERFLOW_ATTRIBUTES);
      diag.warn(`${this.name} reached its cardinality limit (${this.maxSeries + 1} series); further attribute sets are aggregated into otel.metric.overflow=true`);
    }
    return this.overflow;
  }

  private addSeries(attributes: Attributes): HistogramSeries {
    const series = new HistogramSeries(attributes, this.buckets);
    this.series.push(series);
    return series;
  }
}
