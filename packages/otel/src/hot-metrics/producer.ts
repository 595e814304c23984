/**
 * A metric producer for one reader: the hot histograms as the SDK's own
 * collection would report them (HistogramMetricData per instrument, one
 * ScopeMetrics per instrumentation scope), cumulative or delta as the reader
 * asks. Cumulative points carry their buckets' exemplars.
 */
import { ValueType } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  InstrumentType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type HistogramMetricData,
  type MetricProducer,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { epochMillis, type Accumulation } from './accumulation';
import { EXEMPLARS, type ExemplarDataPoint } from './exemplar-points';
import type { HotHistogram, HistogramSeries } from './hot-histogram';
import type { HotMetrics } from './registry';

function pointValue(histogram: HotHistogram, accumulation: Accumulation): Histogram {
  const hasValues = accumulation.count > 0;
  return {
    buckets: { boundaries: histogram.boundaries as number[], counts: Array.from(accumulation.counts) },
    sum: accumulation.sum,
    count: accumulation.count,
    min: hasValues ? accumulation.min : undefined,
    max: hasValues ? accumulation.max : undefined,
  };
}

export class HotMetricProducer implements MetricProducer {
  private lastCollectionMillis: number | undefined;

  constructor(
    private readonly metrics: HotMetrics,
    private readonly slot: number,
    private readonly temporality: AggregationTemporality,
  ) {}

  async collect(): Promise<CollectionResult> {
    const now = epochMillis();
    this.metrics.drain();
    const scopeMetrics: ScopeMetrics[] = [];
    for (const { scope, histograms } of this.metrics.hotScopes()) {
      const metrics: HistogramMetricData[] = [];
      for (const histogram of histograms) {
        const dataPoints = this.points(histogram, now);
        if (dataPoints.length > 0) metrics.push(this.metricData(histogram, dataPoints));
      }
      if (metrics.length > 0) scopeMetrics.push(this.metrics.markProduced({ scope, metrics }));
    }
    this.lastCollectionMillis = now;
    return { resourceMetrics: { resource: this.metrics.resource, scopeMetrics }, errors: [] };
  }

  private metricData(histogram: HotHistogram, dataPoints: DataPoint<Histogram>[]): HistogramMetricData {
    // The SDK hands out its instrument descriptor, type and advice included.
    const descriptor = { name: histogram.name, description: histogram.description, unit: histogram.unit, valueType: ValueType.DOUBLE, type: InstrumentType.HISTOGRAM, advice: {} };
    return { descriptor, aggregationTemporality: this.temporality, dataPointType: DataPointType.HISTOGRAM, dataPoints };
  }

  private points(histogram: HotHistogram, now: number): DataPoint<Histogram>[] {
    const endTime = millisToHrTime(now);
    const points: DataPoint<Histogram>[] = [];
    for (const series of histogram.series) {
      const point = this.temporality === AggregationTemporality.DELTA ? this.deltaPoint(histogram, series) : this.cumulativePoint(histogram, series);
      if (point !== undefined) points.push({ ...point, endTime });
    }
    return points;
  }

  private cumulativePoint(histogram: HotHistogram, series: HistogramSeries): Omit<ExemplarDataPoint, 'endTime'> | undefined {
    const stash = series.stashes[this.slot];
    if (stash === undefined) return undefined;
    if (stash.unreported !== undefined) {
      if (stash.reported === undefined) stash.reported = stash.unreported;
      else stash.reported.add(stash.unreported);
      stash.unreported = undefined;
    }
    const reported = stash.reported;
    if (reported === undefined) return undefined;
    return {
      attributes: series.attributes,
      startTime: millisToHrTime(reported.startMillis),
      value: pointValue(histogram, reported),
      ...(series.exemplars === undefined ? {} : { [EXEMPLARS]: series.exemplars.slice() }),
    };
  }

  /** What came since this reader's last collection; its start is that collection for a series reported then (as the SDK calibrates it). */
  private deltaPoint(histogram: HotHistogram, series: HistogramSeries): Omit<ExemplarDataPoint, 'endTime'> | undefined {
    const stash = series.stashes[this.slot];
    if (stash === undefined) return undefined;
    const interval = stash.unreported;
    if (interval === undefined) {
      stash.reportedLast = false;
      return undefined;
    }
    const start = stash.reportedLast && this.lastCollectionMillis !== undefined ? this.lastCollectionMillis : interval.startMillis;
    stash.unreported = undefined;
    stash.reportedLast = true;
    return { attributes: series.attributes, startTime: millisToHrTime(start), value: pointValue(histogram, interval) };
  }
}
