/**
 * One OTLP/HTTP request: POST a serialized body, classify the answer.
 *
 * The SDK's HTTP transport is not exported on its own (only inside its export
 * delegate, with a retry loop and a concurrency limit of its own, reporting a
 * flattened error). The retry buffer needs the plain outcome and whether the
 * body has left the process, and the crash-flush worker needs the same request
 * outside the main thread's objects: so one small function serves both. It
 * uses node builtins only, so a worker thread can load it without the SDK.
 */
import * as http from 'node:http';
import * as https from 'node:https';

export interface OtlpRequest {
  readonly url: string;
  /** Content-Type, User-Agent and the configured OTEL_EXPORTER_OTLP_*HEADERS. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** PEM text (not paths: a worker thread gets the request as data). */
  readonly tls?: TlsMaterial;
}

export interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

export type PostOutcome =
  | { readonly kind: 'delivered'; readonly response: Uint8Array }
  /** Worth sending again later: refused or reset connection, timeout, 429, 502, 503, 504. */
  | { readonly kind: 'retryable'; readonly reason: string; readonly retryAfterMillis?: number }
  /** The collector will never take this body (other 4xx, 500, 501...): sending it again is pointless. */
  | { readonly kind: 'rejected'; readonly reason: string; readonly status?: number };

/** Statuses the OTLP specification calls retryable (also the SDK's `isExportHTTPErrorRetryable`). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** The network errors the SDK's transport retries: the collector is away, not refusing this body. */
const RETRYABLE_NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Responses are tiny (an empty ExportTraceServiceResponse, or a partial-success note). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** A Retry-After header (seconds or an HTTP date) in milliseconds, or undefined. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Sends `request`; never rejects. `onHandedOff` is called once the whole body
 * has been given to the operating system: from then on the collector may get
 * it even if this process dies before the answer.
 */
export function postOtlp(request: OtlpRequest, timeoutMillis: number, agent?: http.Agent, onHandedOff?: () => void): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    let req: http.ClientRequest;
    try {
      const url = new URL(request.url);
      const send = url.protocol === 'https:' ? https.request : http.request;
      req = send(url, { method: 'POST', headers: { ...request.headers, 'Content-Length': String(request.body.byteLength) }, agent, ...request.tls }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) settle({ kind: 'delivered', response: Buffer.concat(chunks) });
          else if (RETRYABLE_STATUSES.has(status)) {
            const retryAfter = parseRetryAfter(res.headers['retry-after']);
            settle({ kind: 'retryable', reason: `HTTP ${status}`, ...(retryAfter === undefined ? {} : { retryAfterMillis: retryAfter }) });
          } else settle({ kind: 'rejected', reason: `HTTP ${status}`, status });
        });
        res.on('error', (error) => settle({ kind: 'retryable', reason: error.message }));
      });
    } catch (error) {
      settle({ kind: 'rejected', reason: (error as Error).message });
      return;
    }
    // A timeout is retried: the body may then arrive twice if the collector took
    // it but answered late. The default timeout (10 s) makes that rare; refusing
    // to retry would lose every batch of a slow collector instead.
    req.setTimeout(timeoutMillis, () => {
      req.destroy();
      settle({ kind: 'retryable', reason: `no answer within ${timeoutMillis} ms` });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      settle(RETRYABLE_NETWORK_ERRORS.has(code) ? { kind: 'retryable', reason: error.message } : { kind: 'rejected', reason: error.message });
    });
    if (onHandedOff) req.on('finish', onHandedOff);
    req.end(request.body);
  });
}
