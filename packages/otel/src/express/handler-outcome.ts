/**
 * Whether a route handler failed, from the HTTP outcome, as for SERVER spans
 * (semantic conventions: a 4xx answer is the client's error, not the
 * server's). An error passed to `next(err)` is always recorded as an
 * `exception` event; the span's status is ERROR only when the answer is a 5xx
 * (or, with no answer to read, when the error carries no 4xx status).
 * routing-controllers answers 404 and then calls `next(NotFoundError)`;
 * `next(createError(404))` leaves the answer to an error handler: in both the
 * answer decides.
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { ServerResponse } from 'node:http';
import { errorClassOf } from './request-notes';

/** The HTTP status an error asks for (http-errors' `status`/`statusCode`, routing-controllers' `httpCode`). */
export function statusOfError(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, httpCode } = error as { status?: unknown; statusCode?: unknown; httpCode?: unknown };
  for (const value of [status, statusCode, httpCode]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599) return value;
  }
  return undefined;
}

/** The status the answer has (or will have, for an error passed on before any answer). */
export function outcomeStatus(response: ServerResponse, error: unknown): number {
  return response.headersSent ? response.statusCode : (statusOfError(error) ?? 500);
}

/** Sets ERROR on the handler span when `error` ended in a 5xx; a 4xx leaves the status unset. */
export function settleStatus(span: Span, error: unknown, status: number): void {
  if (status < 500) return;
  span.setAttribute(ATTR_ERROR_TYPE, errorClassOf(error) ?? String(status));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** An `exception` event with the error's type, message and stack, whatever the answer. */
export function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
}
