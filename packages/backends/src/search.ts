/**
 * The search node (Elasticsearch 7.17 or OpenSearch): the log records the
 * collector's search_bulk exporter writes, one document each
 * (collector/exporter/searchbulkexporter/document.go): `@timestamp`,
 * `severity_text`, `body`, `trace_id`, `span_id`, `attributes`,
 * `resource.attributes`; and Jaeger's span indices beside them.
 */
import { request, requestJson, requestOk } from './http';
import type { LogRecord } from './model';
import type { BackendRef } from './ref';

export interface LogDocument {
  readonly '@timestamp'?: string;
  readonly severity_text?: string;
  readonly severity_number?: number;
  readonly body?: unknown;
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly attributes?: Record<string, unknown>;
  readonly resource?: { readonly attributes?: Record<string, unknown> };
}

export interface SearchAnswer<T = unknown> {
  readonly hits: { readonly total?: { readonly value: number }; readonly hits: readonly { readonly _source: T }[] };
  readonly aggregations?: Record<string, unknown>;
}

/** Attribute maps arrive flat (`service.name`) or, after a round trip, nested. */
function lookup(map: Record<string, unknown> | undefined, dotted: string): unknown {
  if (!map) return undefined;
  if (dotted in map) return map[dotted];
  const [head, ...rest] = dotted.split('.');
  const inner = map[head!];
  return rest.length > 0 && inner && typeof inner === 'object' ? lookup(inner as Record<string, unknown>, rest.join('.')) : undefined;
}

/** SeverityNumber ranges of the OTLP log data model, for records without text. */
function severityName(number: number | undefined): string {
  if (number === undefined || number <= 0) return '';
  return ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][Math.min(5, Math.floor((number - 1) / 4))]!;
}

/** RFC 3339 with the fraction padded to nanoseconds, so that text order is time order. */
export function timeKey(timestamp: string): string {
  return timestamp.replace(/(T\d{2}:\d{2}:\d{2})(?:\.(\d+))?/, (_m, hms: string, fraction: string | undefined) => `${hms}.${(fraction ?? '').padEnd(9, '0')}`);
}

export function toLogRecord(doc: LogDocument): LogRecord {
  const body = doc.body === undefined ? '' : typeof doc.body === 'string' ? doc.body : JSON.stringify(doc.body);
  return {
    timestamp: doc['@timestamp'] ?? '',
    severity: (doc.severity_text || severityName(doc.severity_number)).toUpperCase(),
    body,
    service: String(lookup(doc.resource?.attributes, 'service.name') ?? ''),
    traceId: doc.trace_id ?? '',
    spanId: doc.span_id ?? '',
    attributes: doc.attributes ?? {},
  };
}

/** Missing indices answer "no hits" instead of 404 (before the first document arrives). */
const LENIENT = { ignore_unavailable: 'true', allow_no_indices: 'true' } as const;

export interface SearchClient {
  readonly ref: BackendRef;
  /** The log indices searched: `<index>*`, dated indices included. */
  readonly logs: string;
  /** Every log record of the trace, oldest first (at most `limit`). */
  logsForTrace(traceId: string, limit?: number): Promise<LogRecord[]>;
  /** Log documents matching a query, oldest first. */
  searchLogs(query: Record<string, unknown>, size?: number): Promise<LogDocument[]>;
  /** How many log documents match (all of them without a query). */
  countLogs(query?: Record<string, unknown>): Promise<number>;
  /** A search request against any indices (`jaeger-span-*`, ...), answered as the node writes it. */
  search<T = unknown>(indices: string, body: Record<string, unknown>): Promise<SearchAnswer<T>>;
  /** How many documents of the indices match. */
  count(indices: string, query?: Record<string, unknown>): Promise<number>;
  /** Makes what was written so far searchable (the node does so every second by itself). */
  refresh(indices?: string): Promise<void>;
  /** Whether a legacy index template exists (Jaeger installs its own at startup). */
  hasTemplate(name: string): Promise<boolean>;
  /** The node's banner: name and version. */
  info(): Promise<{ name: string; version: string; distribution: string }>;
}

export function searchClient(ref: BackendRef, index: string): SearchClient {
  // A wildcard covers dated indices and answers "no hits" instead of 404 before the first log arrives.
  const logs = `${index}*`;
  const target = (indices: string): string => `/${encodeURIComponent(indices).replace(/%2C/gi, ',')}`;
  const client: SearchClient = {
    ref,
    logs,
    async logsForTrace(traceId, limit = 500) {
      // trace_id is dynamically mapped as text with a keyword sub-field; a
      // 32-hex id is one token either way, so match finds it in both.
      const docs = await client.searchLogs({ match: { trace_id: { query: traceId, operator: 'and' } } }, limit);
      return docs.map(toLogRecord).sort((a, b) => (timeKey(a.timestamp) < timeKey(b.timestamp) ? -1 : timeKey(a.timestamp) > timeKey(b.timestamp) ? 1 : 0));
    },
    async searchLogs(query, size = 1000) {
      const body = await client.search<LogDocument>(logs, { size, query, sort: [{ '@timestamp': { order: 'asc', unmapped_type: 'date' } }] });
      return body.hits.hits.map((h) => h._source);
    },
    countLogs(query) {
      return client.count(logs, query);
    },
    async search<T>(indices: string, body: Record<string, unknown>) {
      return requestJson<SearchAnswer<T>>(ref, `${target(indices)}/_search`, { query: LENIENT, json: body });
    },
    async count(indices, query) {
      const answer = await requestJson<{ count?: number }>(ref, `${target(indices)}/_count`, { query: LENIENT, ...(query === undefined ? {} : { json: { query } }) });
      return answer.count ?? 0;
    },
    async refresh(indices = logs) {
      await requestOk(ref, `${target(indices)}/_refresh`, { method: 'POST', query: LENIENT });
    },
    async hasTemplate(name) {
      const answer = await request(ref, `/_template/${encodeURIComponent(name)}`);
      return answer.status === 200;
    },
    async info() {
      const body = await requestJson<{ name?: string; version?: { number?: string; distribution?: string } }>(ref, '/');
      return { name: body.name ?? '', version: body.version?.number ?? '', distribution: body.version?.distribution ?? 'elasticsearch' };
    },
  };
  return client;
}
