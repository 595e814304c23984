/** Prometheus' HTTP API: scrape target health and trace exemplars. */
import { BackendFailedError, type BackendRef } from '../errors';
import { requestJson } from './http';

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

export interface Exemplar {
  readonly traceId: string;
  readonly value: number;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly seriesLabels: Readonly<Record<string, string>>;
}

export interface PrometheusClient {
  readonly ref: BackendRef;
  targets(): Promise<ScrapeTarget[]>;
  exemplars(query: string, startSeconds: number, endSeconds: number): Promise<Exemplar[]>;
}

async function data<T>(ref: BackendRef, path: string, query: Record<string, string | number>): Promise<T> {
  const body = await requestJson<PrometheusAnswer<T>>(ref, path, { query });
  if (body.status !== 'success') throw new BackendFailedError(ref, `${path}: ${body.error ?? 'status ' + body.status}`);
  return body.data;
}

export function prometheusClient(ref: BackendRef): PrometheusClient {
  return {
    ref,
    async targets() {
      const body = await data<{ activeTargets: { labels: Record<string, string>; scrapePool?: string; scrapeUrl: string; health: string; lastError?: string }[] }>(ref, '/api/v1/targets', { state: 'active' });
      return body.activeTargets.map((t) => ({ job: t.labels.job ?? t.scrapePool ?? '', scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError ?? '' }));
    },
    async exemplars(query, startSeconds, endSeconds) {
      const body = await data<{ seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]>(ref, '/api/v1/query_exemplars', {
        query,
        start: startSeconds,
        end: endSeconds,
      });
      return body.flatMap((series) =>
        series.exemplars
          .map((e) => ({ traceId: e.labels.trace_id ?? e.labels.traceID ?? '', value: Number(e.value), timestamp: e.timestamp, seriesLabels: series.seriesLabels }))
          .filter((e) => e.traceId !== ''),
      );
    },
  };
}
