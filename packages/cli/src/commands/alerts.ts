/**
 * `o4o-otel alerts`: what Alertmanager has firing now, each alert with example
 * trace ids for its service and route: first the span-metrics exemplars that
 * Prometheus stored for that series, then a Jaeger span search (errors first).
 * Alertmanager is required (exit 3); example lookups are best effort.
 */
import { alertmanagerClient, jaegerClient, prometheusClient, type JaegerClient, type PrometheusClient } from '@o4o/backends';
import { backendRefs } from '../backends/refs';
import type { CliConfig } from '../config';
import type { Alert } from '../model';
import { outcome, secondary, type Outcome } from '../outcome';
import { renderAlerts, type AlertWithExamples, type ExampleTrace } from '../render/alerts';
import { summarizeTrace } from '../render/waterfall';

/** The span metrics connector's histogram, as Prometheus stores it (collector/config/base.yaml). */
export const SPAN_METRICS_HISTOGRAM = 'traces_span_metrics_duration_seconds_bucket';
/** How far before the alert started to look for examples. */
const LOOKBACK_MILLIS = 15 * 60_000;

function promString(value: string): string {
  return JSON.stringify(value);
}

/** The PromQL selector of the alert's series in the span metrics. */
export function exemplarQuery(alert: Alert): string | undefined {
  if (!alert.service) return undefined;
  const matchers = [`service_name=${promString(alert.service)}`, ...(alert.route ? [`http_route=${promString(alert.route)}`] : [])];
  return `${SPAN_METRICS_HISTOGRAM}{${matchers.join(',')}}`;
}

async function examplesFor(alert: Alert, count: number, prometheus: PrometheusClient, jaeger: JaegerClient, nowMillis: number, warnings: string[]): Promise<AlertWithExamples> {
  const query = exemplarQuery(alert);
  if (!query || !alert.service) return { alert, examples: [] };
  const started = Date.parse(alert.startsAt);
  const startMillis = (Number.isNaN(started) ? nowMillis : started) - LOOKBACK_MILLIS;
  const examples: ExampleTrace[] = [];
  const add = (traceId: string, source: ExampleTrace['source']): void => {
    if (examples.length < count && !examples.some((e) => e.traceId === traceId)) examples.push({ traceId, source });
  };
  const exemplars = await secondary(() => prometheus.exemplars(query, Math.floor(startMillis / 1_000), Math.ceil(nowMillis / 1_000)), warnings);
  for (const e of (exemplars ?? []).sort((a, b) => b.timestamp - a.timestamp)) add(e.traceId, 'exemplar');
  if (examples.length < count) {
    // Jaeger v2 cannot search by span status (see commands/find.ts): take recent
    // traces of the service and route, and offer the failed ones first.
    const tags: Record<string, string> = alert.route ? { 'http.route': alert.route } : {};
    const traces = await secondary(() => jaeger.searchTraces({ service: alert.service!, tags, startMillis, endMillis: nowMillis, limit: Math.max(count * 10, 50) }), warnings);
    const ranked = (traces ?? []).map(summarizeTrace).sort((a, b) => Number(b.errorCount > 0) - Number(a.errorCount > 0) || b.startMicros - a.startMicros);
    for (const t of ranked) add(t.traceId, 'span search');
  }
  return { alert, examples };
}

export async function runAlerts(config: CliConfig, service: string | undefined, count: number, nowMillis: number): Promise<Outcome> {
  const refs = backendRefs(config);
  const firing = (await alertmanagerClient(refs.alertmanager).firingAlerts()).filter((a) => !service || a.service === service);
  const warnings: string[] = [];
  const prometheus = prometheusClient(refs.prometheus);
  const jaeger = jaegerClient(refs.jaeger);
  const withExamples: AlertWithExamples[] = [];
  // One at a time: a dead backend then yields one warning, not one per alert.
  for (const alert of firing) withExamples.push(await examplesFor(alert, count, prometheus, jaeger, nowMillis, warnings));
  const uniqueWarnings = [...new Set(warnings)];
  const json = {
    alerts: withExamples.map(({ alert, examples }) => ({ ...alert, examples })),
    warnings: uniqueWarnings,
  };
  return outcome(renderAlerts(withExamples, nowMillis), json, uniqueWarnings);
}
