/**
 * The stack's backends, through the shared clients (@o4o/backends) pointed at
 * the local stack, with a timeout on every call; and polling until data arrives.
 */
import {
  alertmanagerClient,
  backendRef,
  collectorClient,
  jaegerClient,
  jaegerTag,
  prometheusClient,
  searchClient,
  type AttributeValue,
  type ExemplarSeries,
  type JaegerSpan,
  type JaegerTrace,
  type LogDocument,
  type VectorSample,
} from '@o4o/backends';
import { STACK } from './stack';

export type { JaegerSpan, JaegerTrace, LogDocument };

const HINT = 'start the stack: bash stack/install.sh && bash stack/start.sh';
const ref = (name: string, url: string) => backendRef(name, url, { hint: HINT, timeoutMillis: 10_000 });

export const LOGS_INDEX = process.env.O4O_LOGS_INDEX ?? 'o4o-logs';

export const jaeger = jaegerClient(ref('Jaeger', STACK.jaeger));
export const search = searchClient(ref('the search node', STACK.search), LOGS_INDEX);
export const prometheus = prometheusClient(ref('Prometheus', STACK.prometheus));
export const alertmanager = alertmanagerClient(ref('Alertmanager', STACK.alertmanager));
export const collector = collectorClient(ref('the collector health check', STACK.collectorHealth), ref('the collector metrics endpoint', STACK.collectorMetrics));

export function jaegerTrace(traceId: string): Promise<JaegerTrace | undefined> {
  return jaeger.rawTrace(traceId);
}

const LOOKBACK_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Traces of `service` that started within `lookback` (e.g. `90s`, `1h`). */
export async function jaegerSearch(service: string, tags: Record<string, string> = {}, limit = 1000, lookback = '1h'): Promise<JaegerTrace[]> {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(lookback);
  if (!match) throw new Error(`lookback ${JSON.stringify(lookback)} must be a number with ms, s, m, h or d, e.g. "1h"`);
  return jaeger.rawSearch({ service, tags, limit, startMillis: Date.now() - Number(match[1]) * LOOKBACK_UNITS[match[2]!]! });
}

export function tag(span: JaegerSpan, key: string): AttributeValue | undefined {
  return jaegerTag(span, key);
}

/** Log documents matching the query, oldest first. */
export function searchLogs(query: Record<string, unknown>, size = 1000): Promise<LogDocument[]> {
  return search.searchLogs(query, size);
}

/** How many log documents match, counting everything written so far. */
export async function countLogs(query: Record<string, unknown>): Promise<number> {
  await search.refresh().catch(() => undefined);
  return search.countLogs(query);
}

export function promQuery(expr: string): Promise<VectorSample[]> {
  return prometheus.query(expr);
}

export function promExemplars(expr: string, startSeconds: number, endSeconds: number): Promise<ExemplarSeries[]> {
  return prometheus.rawExemplars(expr, startSeconds, endSeconds);
}

const PROBES = {
  collector: async () => {
    const { healthy, status } = await collector.healthStatus();
    if (!healthy) throw new Error(`${collector.health.name} at ${collector.health.url} answers ${status}`);
  },
  jaeger: () => jaeger.services(),
  search: () => search.info(),
  alertmanager: () => alertmanager.status(),
} as const;

/** Fails naming the first of the services that does not answer, and how to start the stack. */
export async function requireStack(...services: (keyof typeof PROBES)[]): Promise<void> {
  for (const service of services) {
    try {
      await PROBES[service]();
    } catch (error) {
      throw new Error(`the local stack is not running (${(error as Error).message}): bash stack/install.sh && bash stack/start.sh`, { cause: error });
    }
  }
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
