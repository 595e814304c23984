/**
 * The hot histograms of one meter provider, by instrumentation scope, and the
 * order in which the provider handed out its meters (the metrics SDK reports
 * scopes in that order; the scrape endpoint puts ours where the SDK would have).
 */
import { AggregationTemporality, type MetricProducer, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { HotHistogram } from './hot-histogram';
import { HotMetricProducer } from './producer';

export interface HotMetricsOptions {
  /** Instrument name to bucket boundaries: the instruments aggregated here rather than by the SDK. */
  readonly histograms: Readonly<Record<string, readonly number[]>>;
  /** Series per instrument, the overflow series included. */
  readonly cardinalityLimit: number;
  readonly resource: Resource;
}

export interface HotScope {
  readonly scope: InstrumentationScope;
  readonly histograms: readonly HotHistogram[];
}

/** The SDK's key of a scope (sdk-metrics `instrumentationScopeId`). */
export function scopeKey(scope: InstrumentationScope): string {
  return `${scope.name}:${scope.version ?? ''}:${scope.schemaUrl ?? ''}`;
}

export class HotMetrics {
  readonly resource: Resource;
  private readonly boundaries: ReadonlyMap<string, readonly number[]>;
  private readonly cardinalityLimit: number;
  private readonly scopes = new Map<string, { scope: InstrumentationScope; histograms: HotHistogram[] }>();
  private readonly meterOrder = new Map<string, number>();
  private readers = 0;
  /** Scope metrics this registry produced, told apart from the SDK's when a reader merges both. */
  private readonly produced = new WeakSet<ScopeMetrics>();

  constructor(options: HotMetricsOptions) {
    this.resource = options.resource;
    this.boundaries = new Map(Object.entries(options.histograms));
    this.cardinalityLimit = options.cardinalityLimit;
  }

  /** Whether an instrument of this name is aggregated here. */
  handles(name: string): boolean {
    return this.boundaries.has(name);
  }

  /** Notes that the provider handed out a meter for `scope` (first time counts). */
  noteMeter(scope: InstrumentationScope): void {
    const key = scopeKey(scope);
    if (!this.meterOrder.has(key)) this.meterOrder.set(key, this.meterOrder.size);
  }

  /** Position of a scope among the provider's meters; undefined for one it never handed out. */
  meterIndex(scope: InstrumentationScope): number | undefined {
    return this.meterOrder.get(scopeKey(scope));
  }

  /** The hot histogram `name` of `scope`, created on first request like an SDK instrument; undefined if not a hot instrument. */
  histogram(scope: InstrumentationScope, name: string, description: string, unit: string): HotHistogram | undefined {
    const boundaries = this.boundaries.get(name);
    if (boundaries === undefined) return undefined;
    const key = scopeKey(scope);
    let entry = this.scopes.get(key);
    if (entry === undefined) this.scopes.set(key, (entry = { scope, histograms: [] }));
    let histogram = entry.histograms.find((h) => h.name === name);
    if (histogram === undefined) {
      histogram = new HotHistogram({ name, description, unit, boundaries, cardinalityLimit: this.cardinalityLimit });
      entry.histograms.push(histogram);
    }
    return histogram;
  }

  /** A producer for one reader (its `metricProducers` option), reporting with that reader's temporality. */
  createProducer(temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE): MetricProducer {
    return new HotMetricProducer(this, this.readers++, temporality);
  }

  /** Drains every pending interval into each reader's stash; a collection by any reader does this first. */
  drain(): void {
    for (const { histograms } of this.scopes.values()) for (const histogram of histograms) histogram.drain(this.readers);
  }

  hotScopes(): Iterable<HotScope> {
    return this.scopes.values();
  }

  markProduced(scopeMetrics: ScopeMetrics): ScopeMetrics {
    this.produced.add(scopeMetrics);
    return scopeMetrics;
  }

  isProduced(scopeMetrics: ScopeMetrics): boolean {
    return this.produced.has(scopeMetrics);
  }
}
