/**
 * The search node (Elasticsearch 7.17 or OpenSearch) that the collector's
 * search_bulk exporter fills with one document per log record
 * (collector/exporter/searchbulkexporter/document.go): `@timestamp`,
 * `severity_text`, `body`, `trace_id`, `span_id`, `attributes`, `resource.attributes`.
 */
import type { BackendRef } from '../errors';
import type { LogRecord } from '../model';
import { requestJson } from './http';

interface LogDocument {
  readonly '@timestamp'?: string;
  readonly severity_text?: string;
  readonly severity_number?: number;
  readonly body?: unknown;
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly attributes?: Record<string, unknown>;
  readonly resource?: { readonly attributes?: Record<string, unknown> };
}

interface SearchAnswer {
  readonly hits: { readonly hits: readonly { readonly _source: LogDocument }[] };
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

export interface SearchClient {
  readonly ref: BackendRef;
  /** Every log record of the trace, oldest first (at most `limit`). */
  logsForTrace(traceId: string, limit?: number): Promise<LogRecord[]>;
  /** The node's banner: name and version. */
  info(): Promise<{ name: string; version: string; distribution: string }>;
  /** How many log documents the index holds. */
  countLogs(): Promise<number>;
}

export function searchClient(ref: BackendRef, index: string): SearchClient {
  // A wildcard covers dated indices and answers "no hits" instead of 404 before the first log arrives.
  const target = `/${encodeURIComponent(index)}*`;
  return {
    ref,
    async logsForTrace(traceId, limit = 500) {
      const body = await requestJson<SearchAnswer>(ref, `${target}/_search`, {
        query: { ignore_unavailable: 'true', allow_no_indices: 'true' },
        json: {
          size: limit,
          // trace_id is dynamically mapped as text with a keyword sub-field; a
          // 32-hex id is one token either way, so match finds it in both.
          query: { match: { trace_id: { query: traceId, operator: 'and' } } },
          sort: [{ '@timestamp': { order: 'asc', unmapped_type: 'date' } }],
        },
      });
      return body.hits.hits.map((h) => toLogRecord(h._source)).sort((a, b) => (timeKey(a.timestamp) < timeKey(b.timestamp) ? -1 : timeKey(a.timestamp) > timeKey(b.timestamp) ? 1 : 0));
    },
    async info() {
      const body = await requestJson<{ name?: string; version?: { number?: string; distribution?: string } }>(ref, '/');
      return { name: body.name ?? '', version: body.version?.number ?? '', distribution: body.version?.distribution ?? 'elasticsearch' };
    },
    async countLogs() {
      const body = await requestJson<{ count?: number }>(ref, `${target}/_count`, { query: { ignore_unavailable: 'true', allow_no_indices: 'true' } });
      return body.count ?? 0;
    },
  };
}
