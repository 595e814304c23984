/**
 * The SDK's meter provider, which also knows which of its meters may create hot
 * histograms: instrumentations ask for one with `createDurationHistogram(meter,
 * ...)` and get the SDK's histogram from any other meter (a no-op meter, a
 * provider of the app's own).
 */
import type { Attributes, Meter, MeterOptions, SpanContext } from '@opentelemetry/api';
import { MeterProvider, type MeterProviderOptions } from '@opentelemetry/sdk-metrics';
import type { DurationHistogram } from './hot-histogram';
import type { HotMetrics } from './registry';

interface HotMeter {
  readonly metrics: HotMetrics;
  readonly scope: { readonly name: string; readonly version: string; readonly schemaUrl?: string };
}

const HOT_METERS = new WeakMap<Meter, HotMeter>();

export class HotMeterProvider extends MeterProvider {
  constructor(
    options: MeterProviderOptions,
    private readonly metrics: HotMetrics,
  ) {
    super(options);
  }

  override getMeter(name: string, version = '', options: MeterOptions = {}): Meter {
    const meter = super.getMeter(name, version, options);
    // The SDK files an invalid name under ''.
    const scope = { name: typeof name === 'string' ? name : '', version, ...(options.schemaUrl === undefined ? {} : { schemaUrl: options.schemaUrl }) };
    this.metrics.noteMeter(scope);
    if (!HOT_METERS.has(meter)) HOT_METERS.set(meter, { metrics: this.metrics, scope });
    return meter;
  }
}

export interface DurationHistogramOptions {
  readonly description: string;
  readonly unit: string;
}

/**
 * A histogram of `meter`'s scope: aggregated in process when `meter` comes from
 * a HotMeterProvider that handles `name`, otherwise the SDK's (the span is then
 * not used).
 */
export function createDurationHistogram(meter: Meter, name: string, options: DurationHistogramOptions): DurationHistogram {
  const hot = HOT_METERS.get(meter);
  const histogram = hot?.metrics.histogram(hot.scope, name, options.description, options.unit);
  if (histogram !== undefined) return histogram;
  const sdk = meter.createHistogram(name, options);
  return {
    record(value: number, attributes: Attributes, _span?: SpanContext): void {
      sdk.record(value, attributes);
    },
  };
}
