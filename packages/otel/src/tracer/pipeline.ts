/**
 * The span processors of the lean tracer, called in order as a span starts,
 * is about to end (`onEnding`, where it may still change) and has ended. A
 * processor that throws is reported to `diag` and the others still run: a
 * telemetry fault never reaches the code that ended the span.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

export class SpanPipeline {
  private readonly starting: SpanProcessor[];
  private readonly endingHooks: SpanProcessor[];
  private readonly ended: SpanProcessor[];

  constructor(readonly processors: readonly SpanProcessor[]) {
    // A processor whose hook does nothing is left out of that hook's list.
    const does = (processor: SpanProcessor, hook: 'onStart' | 'onEnding' | 'onEnd'): boolean => {
      const fn = processor[hook] as ((...args: never[]) => unknown) | undefined;
      return typeof fn === 'function' && !/^[^{]*\{\s*\}$/.test(Function.prototype.toString.call(fn));
    };
    this.starting = processors.filter((p) => does(p, 'onStart'));
    this.endingHooks = processors.filter((p) => does(p, 'onEnding'));
    this.ended = processors.filter((p) => does(p, 'onEnd'));
  }

  start(span: ReadableSpan, parentContext?: Context): void {
    const list = this.starting;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!.onStart(span as Span, parentContext as Context);
      } catch (error) {
        diag.error('a span processor failed as a span started', error);
      }
    }
  }

  ending(span: ReadableSpan): void {
    const list = this.endingHooks;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!.onEnding!(span as Span);
      } catch (error) {
        diag.error('a span processor failed as a span ended', error);
      }
    }
  }

  end(span: ReadableSpan): void {
    const list = this.ended;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!.onEnd(span);
      } catch (error) {
        diag.error('a span processor failed after a span ended', error);
      }
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}
