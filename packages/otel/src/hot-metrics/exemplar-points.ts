/**
 * Exemplars ride on the histogram data points a hot histogram reports, under a
 * symbol: the SDK's data model has no field for them (opentelemetry-js#5147),
 * its serializers ignore the extra property, and the OpenMetrics serializer
 * reads it.
 */
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import type { Exemplar } from './hot-histogram';

export const EXEMPLARS: unique symbol = Symbol('o4o.exemplars');

/** A histogram data point with, per bucket, the most recent sampled measurement that fell into it. */
export type ExemplarDataPoint = DataPoint<Histogram> & { readonly [EXEMPLARS]?: readonly (Exemplar | undefined)[] };

export function exemplarsOf(point: DataPoint<Histogram>): readonly (Exemplar | undefined)[] | undefined {
  return (point as ExemplarDataPoint)[EXEMPLARS];
}
