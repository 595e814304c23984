/** The o4o collector's own endpoints: the health_check extension and its self-metrics. */
import { parseExposition, type Sample } from './exposition';
import { request, requestText } from './http';
import type { BackendRef } from './ref';

export interface CollectorClient {
  readonly health: BackendRef;
  readonly metricsRef: BackendRef;
  /** The health check's status line; healthy is HTTP 200. */
  healthStatus(): Promise<{ healthy: boolean; status: string }>;
  metrics(): Promise<Sample[]>;
}

export function collectorClient(health: BackendRef, metricsRef: BackendRef): CollectorClient {
  return {
    health,
    metricsRef,
    async healthStatus() {
      const answer = await request(health, '/');
      let status = `HTTP ${answer.status}`;
      try {
        status = (JSON.parse(answer.body) as { status?: string }).status ?? status;
      } catch {
        // Older health_check versions answer plain text.
      }
      return { healthy: answer.status === 200, status };
    },
    async metrics() {
      return parseExposition(await requestText(metricsRef));
    },
  };
}

/** Any Prometheus endpoint (a service's /metrics), scraped and parsed. */
export async function scrape(ref: BackendRef): Promise<Sample[]> {
  return parseExposition(await requestText(ref));
}
