/**
 * Database errors quote data: PostgreSQL's `invalid input syntax for type
 * integer: "jane@example.com"` becomes the span's status message when
 * instrumentation-pg records a failed query. Before a database span ends, its
 * status message is replaced by the error's type and code, which say what went
 * wrong without carrying the value. Kept as is only with O4O_OTEL_DB_CAPTURE_PARAMETERS.
 */
import { SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE, ATTR_EXCEPTION_MESSAGE } from '@opentelemetry/semantic-conventions';

/** instrumentation-pg's sanitized exception event reads "... occurred (code: 22P02)". */
function codeFromExceptionEvents(span: Span): string | undefined {
  for (const event of span.events) {
    const message = event.attributes?.[ATTR_EXCEPTION_MESSAGE];
    const match = typeof message === 'string' ? /\(code: ([A-Za-z0-9_]{1,20})\)/.exec(message) : null;
    if (match && match[1] !== 'UNKNOWN') return match[1];
  }
  return undefined;
}

export class DatabaseErrorStatusScrubber implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    const { status, attributes } = span;
    if (status.code !== SpanStatusCode.ERROR || !status.message) return;
    const system = attributes[ATTR_DB_SYSTEM_NAME] ?? attributes['db.system'];
    if (system === undefined) return;
    const code = attributes[ATTR_ERROR_TYPE] ?? codeFromExceptionEvents(span);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code === undefined ? `${String(system)} error (message withheld: may contain data)` : `${String(system)} error ${String(code)}` });
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
