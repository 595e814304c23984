/**
 * The lean tracer provider, registered as the API's global provider: tracers
 * by name, version and schema URL, the span processors, flush and shutdown.
 * Spans started through the API by any library become its spans.
 */
import { diag, type Tracer, type TracerOptions, type TracerProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { SamplerName } from '../config';
import { SpanClock } from '../span-clock';
import { IdPool } from './ids';
import { SpanPipeline } from './pipeline';
import { createSampleDecision } from './sampler';
import type { LeanSpanLimits } from './span';
import { LeanTracer, type TracerShared } from './tracer';

/** Past this many distinct tracers (a name made per request), new ones are not kept. */
const MAX_KEPT_TRACERS = 1_000;

export interface LeanTracerProviderOptions {
  readonly resource: Resource;
  readonly sampler: SamplerName;
  readonly samplerRatio: number;
  readonly limits: Partial<LeanSpanLimits>;
  readonly spanProcessors: readonly SpanProcessor[];
}

export function spanLimits(limits: Partial<LeanSpanLimits>): LeanSpanLimits {
  return Object.freeze({
    attributeCountLimit: limits.attributeCountLimit ?? 128,
    attributeValueLengthLimit: limits.attributeValueLengthLimit ?? Infinity,
    eventCountLimit: limits.eventCountLimit ?? 128,
    linkCountLimit: limits.linkCountLimit ?? 128,
    attributePerEventCountLimit: limits.attributePerEventCountLimit ?? 128,
    attributePerLinkCountLimit: limits.attributePerLinkCountLimit ?? 128,
  });
}

export class LeanTracerProvider implements TracerProvider {
  private readonly shared: TracerShared;
  private readonly tracers = new Map<string, LeanTracer>();
  private stopped: Promise<void> | undefined;

  constructor(options: LeanTracerProviderOptions) {
    this.shared = {
      resource: options.resource,
      limits: spanLimits(options.limits),
      pipeline: new SpanPipeline(options.spanProcessors),
      ids: new IdPool(),
      sample: createSampleDecision(options.sampler, options.samplerRatio),
      clock: new SpanClock(),
    };
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    const known = this.tracers.get(key);
    if (known !== undefined) return known;
    const scope = { name, version, schemaUrl: options?.schemaUrl };
    const tracer = new LeanTracer(scope, this.shared);
    if (this.tracers.size < MAX_KEPT_TRACERS) this.tracers.set(key, tracer);
    return tracer;
  }

  /** Resolves when every processor has flushed; a processor's failure goes to `diag`. */
  async forceFlush(): Promise<void> {
    try {
      await this.shared.pipeline.forceFlush();
    } catch (error) {
      diag.error('span processors could not flush', error);
    }
  }

  shutdown(): Promise<void> {
    this.stopped ??= (async () => {
      this.shared.clock.stop();
      try {
        await this.shared.pipeline.shutdown();
      } catch (error) {
        diag.error('span processors could not shut down', error);
      }
    })();
    return this.stopped;
  }
}
