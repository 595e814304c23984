/**
 * The one way every backend client talks HTTP: `fetch` with a deadline on each
 * request, and failures turned into one-line BackendErrors.
 */
import { BackendFailedError, BackendUnreachableError, type BackendRef } from './ref';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly json?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
}

/** `connect ECONNREFUSED` from undici's `fetch failed` and its cause. */
function networkReason(error: unknown, timeoutMillis: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; syscall?: string; message?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return `no answer within ${timeoutMillis} ms`;
  const cause = e?.cause;
  if (cause?.code) return [cause.syscall, cause.code].filter(Boolean).join(' ');
  return cause?.message ?? e?.message ?? String(error);
}

export function urlFor(backend: BackendRef, path: string, query?: RequestOptions['query']): URL {
  const url = new URL(backend.url.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** Any HTTP answer comes back; only a failure to get one throws. */
export async function request(backend: BackendRef, path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
  const url = urlFor(backend, path, options.query);
  try {
    const response = await fetch(url, {
      method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
      headers: options.json === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal: AbortSignal.timeout(backend.timeoutMillis),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    throw new BackendUnreachableError(backend, networkReason(error, backend.timeoutMillis));
  }
}

function snippet(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A 2xx JSON answer, parsed; anything else is a BackendFailedError. */
export async function requestJson<T>(backend: BackendRef, path: string, options: RequestOptions = {}): Promise<T> {
  const answer = await request(backend, path, options);
  if (!ok(answer.status)) {
    throw new BackendFailedError(backend, `HTTP ${answer.status} for ${path}${answer.body ? `: ${snippet(answer.body)}` : ''}`);
  }
  return parseJson<T>(backend, path, answer.body);
}

export function parseJson<T>(backend: BackendRef, path: string, body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new BackendFailedError(backend, `answer to ${path} is not JSON: ${snippet(body)}`);
  }
}

/** A 2xx text answer (Prometheus expositions). */
export async function requestText(backend: BackendRef, path = ''): Promise<string> {
  const answer = await request(backend, path);
  if (!ok(answer.status)) throw new BackendFailedError(backend, `HTTP ${answer.status}${path ? ` for ${path}` : ''}`);
  return answer.body;
}

/** A request whose answer matters only as success: 2xx, or a BackendFailedError. */
export async function requestOk(backend: BackendRef, path: string, options: RequestOptions = {}): Promise<void> {
  const answer = await request(backend, path, options);
  if (!ok(answer.status)) throw new BackendFailedError(backend, `HTTP ${answer.status} for ${path}${answer.body ? `: ${snippet(answer.body)}` : ''}`);
}
