/**
 * `o4o-otel trace <traceId>`: the span tree from Jaeger, the trace's log
 * records from the search node, and links to open the same elsewhere.
 * Jaeger is required (exit 3 without it); logs are best effort (a warning).
 */
import { jaegerClient, searchClient } from '@o4o/backends';
import { backendRefs } from '../backends/refs';
import type { CliConfig, Endpoints } from '../config';
import { NotFoundError } from '../errors';
import { outcome, secondary, type Outcome } from '../outcome';
import { renderLogs } from '../render/logs';
import { renderWaterfall, summarizeTrace } from '../render/waterfall';

/** Grafana's datasource uid for Jaeger; dashboards refer to fixed uids, never names. */
export const GRAFANA_JAEGER_UID = 'jaeger';

export interface TraceLinks {
  readonly jaeger: string;
  readonly grafana?: string;
}

export function traceLinks(endpoints: Endpoints, traceId: string, startMicros: number, durationMicros: number): TraceLinks {
  const jaeger = `${endpoints.jaeger}/trace/${traceId}`;
  if (!endpoints.grafana) return { jaeger };
  const from = Math.floor(startMicros / 1_000) - 60_000;
  const to = Math.ceil((startMicros + durationMicros) / 1_000) + 60_000;
  const panes = { a: { datasource: GRAFANA_JAEGER_UID, queries: [{ refId: 'A', datasource: { type: 'jaeger', uid: GRAFANA_JAEGER_UID }, queryType: 'traceId', query: traceId }], range: { from: String(from), to: String(to) } } };
  return { jaeger, grafana: `${endpoints.grafana}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}` };
}

export async function runTrace(config: CliConfig, traceId: string): Promise<Outcome> {
  const refs = backendRefs(config);
  const trace = await jaegerClient(refs.jaeger).getTrace(traceId);
  if (!trace) {
    throw new NotFoundError(`trace ${traceId} not found in Jaeger at ${refs.jaeger.url} (spans reach Jaeger a few seconds after the request, and stay as long as its storage keeps them)`);
  }
  const warnings: string[] = [];
  const logs = await secondary(() => searchClient(refs.search, config.logsIndex).logsForTrace(traceId), warnings);
  const summary = summarizeTrace(trace);
  const links = traceLinks(config.endpoints, traceId, summary.startMicros, summary.durationMicros);
  const lines = [
    ...renderWaterfall(trace),
    '',
    `Logs (${logs === undefined ? 'unavailable' : logs.length}) from ${refs.search.url} index ${config.logsIndex}*`,
    ...(logs === undefined ? ['(the search node did not answer; see the warning)'] : renderLogs(logs, summary.startMicros)),
    '',
    `Jaeger:  ${links.jaeger}`,
    ...(links.grafana ? [`Grafana: ${links.grafana}`] : []),
  ];
  const json = {
    traceId,
    startMicros: summary.startMicros,
    durationMicros: summary.durationMicros,
    services: summary.services,
    errorCount: summary.errorCount,
    spans: trace.spans,
    logs: logs ?? null,
    links,
    warnings: [...trace.warnings, ...warnings],
  };
  return outcome(lines, json, warnings);
}
