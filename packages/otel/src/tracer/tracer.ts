/**
 * The lean tracer: `startSpan` and `startActiveSpan` of the API, for our
 * instrumentations and third-party ones alike. The parent and the suppression
 * flag are read straight from the context by their well-known keys (the API
 * creates them with `Symbol.for`), ids come from a pooled buffer, and the
 * sampling decision is one function call. An unsampled span is the API's
 * non-recording span: it carries the context on and records nothing.
 */
import { context as contextApi, isSpanContextValid, trace, INVALID_SPAN_CONTEXT, SpanKind, TraceFlags, type Context, type Span, type SpanContext, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { LeanSpan, type LeanSpanLimits, type SpanOrigin } from './span';
import type { IdPool } from './ids';
import type { SampleDecision } from './sampler';
import type { SpanPipeline } from './pipeline';
import type { SpanClock } from '../span-clock';

const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
const SUPPRESS_TRACING_KEY = Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** What every tracer of one provider shares. */
export interface TracerShared {
  readonly resource: Resource;
  readonly limits: LeanSpanLimits;
  readonly pipeline: SpanPipeline;
  readonly ids: IdPool;
  readonly sample: SampleDecision;
  readonly clock: SpanClock;
}

let suppressedSpan: Span | undefined;

/** The parent's span context when it is valid; our own spans are valid by construction. */
function validParent(parent: Span | undefined): SpanContext | undefined {
  if (parent === undefined) return undefined;
  const parentContext = parent.spanContext();
  if (parent instanceof LeanSpan) return parentContext;
  return parentContext !== undefined && isSpanContextValid(parentContext) ? parentContext : undefined;
}

export class LeanTracer implements Tracer {
  private readonly origin: SpanOrigin;

  constructor(
    readonly instrumentationScope: SpanOrigin['instrumentationScope'],
    private readonly shared: TracerShared,
  ) {
    this.origin = { resource: shared.resource, instrumentationScope, limits: shared.limits, pipeline: shared.pipeline };
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    const ctx = context ?? contextApi.active();
    if (ctx.getValue(SUPPRESS_TRACING_KEY) === true) return (suppressedSpan ??= trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    const shared = this.shared;
    const parent = options?.root === true ? undefined : validParent(ctx.getValue(SPAN_KEY) as Span | undefined);
    const traceId = parent === undefined ? shared.ids.traceId() : parent.traceId;
    const spanId = shared.ids.spanId();
    const sampled = shared.sample(parent, traceId);
    const spanContext: SpanContext = { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, traceState: parent?.traceState };
    if (!sampled) return trace.wrapSpanContext(spanContext);
    const span = new LeanSpan(
      this.origin,
      spanContext,
      name,
      options?.kind ?? SpanKind.INTERNAL,
      parent,
      options?.attributes,
      options?.links,
      options?.startTime,
      shared.clock.anchor,
    );
    shared.pipeline.start(span, ctx);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, a?: SpanOptions | F, b?: Context | F, c?: F): ReturnType<F> | undefined {
    let options: SpanOptions | undefined;
    let parentContext: Context | undefined;
    let fn: F;
    if (arguments.length < 2) return undefined;
    if (arguments.length === 2) fn = a as F;
    else if (arguments.length === 3) {
      options = a as SpanOptions;
      fn = b as F;
    } else {
      options = a as SpanOptions;
      parentContext = b as Context;
      fn = c as F;
    }
    const ctx = parentContext ?? contextApi.active();
    const span = this.startSpan(name, options, ctx);
    return contextApi.with(trace.setSpan(ctx, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}
