/**
 * Jaeger's HTTP query API (v2 serves the v1 JSON shape): `/api/traces/{id}`,
 * `/api/traces?service=..&tags=..`, `/api/services`. Answers come back as
 * Jaeger wrote them (rawTrace, rawSearch) or as the toolkit's Trace model.
 */
import { parseJson, request, requestJson } from './http';
import type { AttributeValue, Span, SpanStatus, Trace } from './model';
import { BackendFailedError, type BackendRef } from './ref';

export interface JaegerTag {
  readonly key: string;
  readonly type?: string;
  readonly value: AttributeValue;
}

export interface JaegerReference {
  readonly refType: string;
  readonly traceID: string;
  readonly spanID: string;
}

/** A span as Jaeger's answer may write it: references and tags can be missing. */
export interface JaegerSpanAnswer {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly references?: readonly JaegerReference[];
  readonly startTime: number;
  readonly duration: number;
  readonly tags?: readonly JaegerTag[];
  readonly processID: string;
  readonly warnings?: readonly string[] | null;
}

export interface JaegerTraceAnswer {
  readonly traceID: string;
  readonly spans: readonly JaegerSpanAnswer[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string; readonly tags?: readonly JaegerTag[] }>>;
  readonly warnings?: readonly string[] | null;
}

/** A span of a trace from the client: references and tags always present. */
export interface JaegerSpan extends JaegerSpanAnswer {
  readonly references: readonly JaegerReference[];
  readonly tags: readonly JaegerTag[];
}

export interface JaegerTrace extends JaegerTraceAnswer {
  readonly spans: readonly JaegerSpan[];
}

interface JaegerAnswer<T> {
  readonly data: T | null;
  readonly errors?: readonly { readonly code: number; readonly msg: string }[] | null;
}

export interface TraceSearch {
  readonly service: string;
  readonly operation?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly minDurationMicros?: number;
  /** Jaeger ignores `lookback` and searches its own default window, so the window is always sent. */
  readonly startMillis: number;
  readonly endMillis?: number;
  readonly limit: number;
}

/**
 * Jaeger notes a sub-millisecond "skew" on many child spans: the OpenTelemetry JS SDK
 * stamps span starts with millisecond precision, and Jaeger's skew adjuster is off.
 * Nothing is wrong with such a trace, so these notes are not shown.
 */
const CLOCK_SKEW_NOTE = /^clock skew adjustment disabled; not applying calculated delta/;

/** Jaeger writes span status and kind as tags; the rest are the span's attributes. */
const STATUS_TAGS = new Set(['otel.status_code', 'error', 'span.kind', 'internal.span.format']);

/** A tag's value, or undefined. */
export function jaegerTag(span: JaegerSpanAnswer, key: string): AttributeValue | undefined {
  return span.tags?.find((t) => t.key === key)?.value;
}

function normalise(raw: JaegerTraceAnswer): JaegerTrace {
  return { ...raw, spans: raw.spans.map((s) => ({ ...s, references: s.references ?? [], tags: s.tags ?? [] })) };
}

function spanStatus(tags: ReadonlyMap<string, AttributeValue>): SpanStatus {
  const code = String(tags.get('otel.status_code') ?? '').toUpperCase();
  if (code === 'ERROR' || tags.get('error') === true || tags.get('error') === 'true') return 'error';
  return code === 'OK' ? 'ok' : 'unset';
}

export function toTrace(raw: JaegerTraceAnswer): Trace {
  const spans = raw.spans.map((s): Span => {
    const tags = new Map((s.tags ?? []).map((t) => [t.key, t.value] as const));
    const parent = (s.references ?? []).find((r) => r.refType === 'CHILD_OF' && r.traceID === s.traceID) ?? (s.references ?? [])[0];
    const attributes: Record<string, AttributeValue> = {};
    for (const [key, value] of tags) if (!STATUS_TAGS.has(key)) attributes[key] = value;
    return {
      traceId: s.traceID,
      spanId: s.spanID,
      parentSpanId: parent?.spanID,
      service: raw.processes[s.processID]?.serviceName ?? '?',
      operation: s.operationName,
      kind: String(tags.get('span.kind') ?? ''),
      startMicros: s.startTime,
      durationMicros: s.duration,
      status: spanStatus(tags),
      attributes,
    };
  });
  const warnings = [...(raw.warnings ?? []), ...raw.spans.flatMap((s) => s.warnings ?? [])].filter((w) => !CLOCK_SKEW_NOTE.test(w));
  return { traceId: raw.traceID, spans, warnings };
}

export interface JaegerClient {
  readonly ref: BackendRef;
  /** The trace as Jaeger answers it, or undefined when Jaeger does not have it. */
  rawTrace(traceId: string): Promise<JaegerTrace | undefined>;
  rawSearch(search: TraceSearch): Promise<JaegerTrace[]>;
  /** The trace, or undefined when Jaeger does not have it. */
  getTrace(traceId: string): Promise<Trace | undefined>;
  searchTraces(search: TraceSearch): Promise<Trace[]>;
  /** Every service Jaeger knows, sorted. */
  services(): Promise<string[]>;
}

export function jaegerClient(ref: BackendRef): JaegerClient {
  const client: JaegerClient = {
    ref,
    async rawTrace(traceId) {
      const path = `/api/traces/${traceId}`;
      const answer = await request(ref, path);
      if (answer.status === 404) return undefined;
      if (answer.status < 200 || answer.status >= 300) throw new BackendFailedError(ref, `HTTP ${answer.status} for ${path}`);
      const raw = parseJson<JaegerAnswer<JaegerTraceAnswer[]>>(ref, path, answer.body).data?.[0];
      return raw && raw.spans.length > 0 ? normalise(raw) : undefined;
    },
    async rawSearch(search) {
      const tags = search.tags ?? {};
      const body = await requestJson<JaegerAnswer<JaegerTraceAnswer[]>>(ref, '/api/traces', {
        query: {
          service: search.service,
          operation: search.operation,
          tags: Object.keys(tags).length > 0 ? JSON.stringify(tags) : undefined,
          minDuration: search.minDurationMicros === undefined ? undefined : `${search.minDurationMicros}us`,
          start: search.startMillis * 1_000,
          end: search.endMillis === undefined ? undefined : search.endMillis * 1_000,
          limit: search.limit,
        },
      });
      return (body.data ?? []).map(normalise);
    },
    async getTrace(traceId) {
      const raw = await client.rawTrace(traceId);
      return raw && toTrace(raw);
    },
    async searchTraces(search) {
      return (await client.rawSearch(search)).map(toTrace);
    },
    async services() {
      const body = await requestJson<JaegerAnswer<string[]>>(ref, '/api/services');
      return [...(body.data ?? [])].sort();
    },
  };
  return client;
}
