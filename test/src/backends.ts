/** Small clients for the stack's query APIs, with a timeout on every call. */
import { STACK } from './stack';

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
  processID: string;
  duration: number;
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export async function jaegerTrace(traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${STACK.jaeger}/api/traces/${traceId}`, { signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) return undefined;
  const body = (await response.json()) as { data?: JaegerTrace[] };
  return body.data?.[0];
}

const LOOKBACK_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Traces of `service` that started within `lookback` (e.g. `90s`, `1h`). Jaeger's
 * API ignores a `lookback` parameter and searches its own default window (days),
 * which matters now that traces outlive a restart: the window is sent as `start`.
 */
export async function jaegerSearch(service: string, tags: Record<string, string> = {}, limit = 1000, lookback = '1h'): Promise<JaegerTrace[]> {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(lookback);
  if (!match) throw new Error(`lookback ${JSON.stringify(lookback)} must be a number with ms, s, m, h or d, e.g. "1h"`);
  const startMicros = (Date.now() - Number(match[1]) * LOOKBACK_UNITS[match[2]!]!) * 1_000;
  const params = new URLSearchParams({ service, limit: String(limit), start: String(startMicros) });
  if (Object.keys(tags).length > 0) params.set('tags', JSON.stringify(tags));
  const body = await getJson<{ data: JaegerTrace[] | null }>(`${STACK.jaeger}/api/traces?${params.toString()}`);
  return body.data ?? [];
}

export function tag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}

export interface LogDocument {
  '@timestamp': string;
  severity_text?: string;
  severity_number?: number;
  body?: unknown;
  trace_id?: string;
  span_id?: string;
  attributes?: Record<string, unknown>;
  resource: { attributes?: Record<string, unknown> };
}

export const LOGS_INDEX = process.env.O4O_LOGS_INDEX ?? 'o4o-logs';

export async function searchLogs(query: Record<string, unknown>, size = 1000): Promise<LogDocument[]> {
  const response = await fetch(`${STACK.search}/${LOGS_INDEX}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size, query, sort: [{ '@timestamp': 'asc' }] }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`search answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const body = (await response.json()) as { hits: { hits: { _source: LogDocument }[] } };
  return body.hits.hits.map((h) => h._source);
}

export async function countLogs(query: Record<string, unknown>): Promise<number> {
  await fetch(`${STACK.search}/${LOGS_INDEX}/_refresh`, { method: 'POST', signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  const response = await fetch(`${STACK.search}/${LOGS_INDEX}/_count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 404) return 0;
  return ((await response.json()) as { count: number }).count;
}

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

export async function promQuery(expr: string): Promise<PromSeries[]> {
  const body = await getJson<{ status: string; data: { result: PromSeries[] } }>(`${STACK.prometheus}/api/v1/query?${new URLSearchParams({ query: expr }).toString()}`);
  return body.data.result;
}

export async function promExemplars(expr: string, startSeconds: number, endSeconds: number): Promise<{ seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]> {
  const params = new URLSearchParams({ query: expr, start: String(startSeconds), end: String(endSeconds) });
  const body = await getJson<{ data: { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[] }>(
    `${STACK.prometheus}/api/v1/query_exemplars?${params.toString()}`,
  );
  return body.data;
}

/** Polls `probe` until it returns a value that `done` accepts, or fails with `what`. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMillis = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 500)}${lastError ? `; last error: ${String(lastError)}` : ''}`);
}
