/**
 * The SERVER spans of requests still being handled, so that a dying process can
 * end them with what killed it instead of losing them: an unended span is never
 * exported. Bounded: past the cap (a leak elsewhere) new spans are not tracked.
 */
import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

const MAX_TRACKED = 10_000;

export class OpenServerSpans implements SpanProcessor {
  private readonly open = new Set<Span>();

  onStart(span: Span, _parentContext: Context): void {
    if (span.kind === SpanKind.SERVER && this.open.size < MAX_TRACKED) this.open.add(span);
  }

  onEnd(span: ReadableSpan): void {
    this.open.delete(span as Span);
  }

  has(span: unknown): boolean {
    return this.open.has(span as Span);
  }

  /**
   * Ends every open server span with status ERROR. The span of the trace that
   * failed (`failedTraceId`) also gets the exception event; the others only say
   * the process ended under them, which is what their clients saw.
   */
  endAll(why: string, error?: unknown, failedTraceId?: string): void {
    for (const span of [...this.open]) {
      try {
        if (error !== undefined && span.spanContext().traceId === failedTraceId) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        } else {
          span.setStatus({ code: SpanStatusCode.ERROR, message: why });
        }
        span.end();
      } catch {
        // a span that cannot be ended is lost; the rest still are
      }
    }
    this.open.clear();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.open.clear();
    return Promise.resolve();
  }
}
