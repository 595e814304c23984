/** Prometheus' HTTP API: instant queries, scrape target health, trace exemplars, rules and alerts. */
import { requestJson } from './http';
import { BackendFailedError, type BackendRef } from './ref';

interface PrometheusAnswer<T> {
  readonly status: 'success' | 'error';
  readonly data: T;
  readonly error?: string;
}

export interface ScrapeTarget {
  readonly job: string;
  readonly scrapeUrl: string;
  readonly health: string;
  readonly lastError: string;
}

/** One series of an instant vector: its labels and `[seconds, "value"]`. */
export interface VectorSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

export interface ExemplarSeries {
  readonly seriesLabels: Readonly<Record<string, string>>;
  readonly exemplars: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: string; readonly timestamp: number }[];
}

export interface Exemplar {
  readonly traceId: string;
  readonly value: number;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly seriesLabels: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly file?: string;
  readonly rules: readonly { readonly name: string; readonly type: string; readonly query?: string; readonly health?: string; readonly lastError?: string; readonly [key: string]: unknown }[];
}

export interface PrometheusAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly state: string;
  readonly activeAt?: string;
  readonly value?: string;
}

export interface PrometheusClient {
  readonly ref: BackendRef;
  /** An instant query's vector (a query that is not a vector is an error). */
  query(expr: string): Promise<VectorSample[]>;
  targets(): Promise<ScrapeTarget[]>;
  /** Exemplars as Prometheus answers them, per series. */
  rawExemplars(query: string, startSeconds: number, endSeconds: number): Promise<ExemplarSeries[]>;
  /** Exemplars that carry a trace id. */
  exemplars(query: string, startSeconds: number, endSeconds: number): Promise<Exemplar[]>;
  rules(type?: 'alert' | 'record'): Promise<RuleGroup[]>;
  /** Alerts pending or firing. */
  alerts(): Promise<PrometheusAlert[]>;
  /** The values a label takes, on the series a selector matches when one is given. */
  labelValues(label: string, match?: string): Promise<string[]>;
}

async function data<T>(ref: BackendRef, path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
  const body = await requestJson<PrometheusAnswer<T>>(ref, path, { query });
  if (body.status !== 'success') throw new BackendFailedError(ref, `${path}: ${body.error ?? 'status ' + body.status}`);
  return body.data;
}

export function prometheusClient(ref: BackendRef): PrometheusClient {
  const client: PrometheusClient = {
    ref,
    async query(expr) {
      const body = await data<{ resultType: string; result: VectorSample[] }>(ref, '/api/v1/query', { query: expr });
      if (body.resultType !== 'vector') throw new BackendFailedError(ref, `/api/v1/query: ${expr} is a ${body.resultType}, not a vector`);
      return body.result;
    },
    async targets() {
      const body = await data<{ activeTargets: { labels: Record<string, string>; scrapePool?: string; scrapeUrl: string; health: string; lastError?: string }[] }>(ref, '/api/v1/targets', { state: 'active' });
      return body.activeTargets.map((t) => ({ job: t.labels.job ?? t.scrapePool ?? '', scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError ?? '' }));
    },
    rawExemplars(query, startSeconds, endSeconds) {
      return data<ExemplarSeries[]>(ref, '/api/v1/query_exemplars', { query, start: startSeconds, end: endSeconds });
    },
    async exemplars(query, startSeconds, endSeconds) {
      const series = await client.rawExemplars(query, startSeconds, endSeconds);
      return series.flatMap((s) =>
        s.exemplars
          .map((e) => ({ traceId: e.labels.trace_id ?? e.labels.traceID ?? '', value: Number(e.value), timestamp: e.timestamp, seriesLabels: s.seriesLabels }))
          .filter((e) => e.traceId !== ''),
      );
    },
    async rules(type) {
      return (await data<{ groups: RuleGroup[] }>(ref, '/api/v1/rules', { type })).groups;
    },
    async alerts() {
      return (await data<{ alerts: PrometheusAlert[] }>(ref, '/api/v1/alerts')).alerts;
    },
    labelValues(label, match) {
      return data<string[]>(ref, `/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match });
    },
  };
  return client;
}
