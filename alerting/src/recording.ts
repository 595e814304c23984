/**
 * Recording rules: the expensive expressions (joins, rates by route,
 * quantiles, ratios) computed once every evaluation, named
 * `level:metric:operation`. Alerts and dashboards read these.
 */
import { IDENTITY_EXPR, IDENTITY_RULE, withIdentity } from './identity';
import { BUSINESS, COLLECTOR, HOST, LABELS, SERVICE } from './names';
import type { RecordingRule, RuleFile } from './types';

const S = LABELS.service;
const E = LABELS.environment;

export const RECORDED = Object.freeze({
  identity: IDENTITY_RULE,
  routeRequests: 'service_route_code:http_server_requests:rate5m',
  requests: 'service:http_server_requests:rate5m',
  errors: 'service:http_server_errors:rate5m',
  errorRatio: 'service:http_server_error_ratio:rate5m',
  routeBuckets: 'service_route_le:http_server_request_duration_bucket:rate5m',
  buckets: 'service_le:http_server_request_duration_bucket:rate5m',
  p50: 'service:http_server_request_duration:p50_5m',
  p95: 'service:http_server_request_duration:p95_5m',
  p99: 'service:http_server_request_duration:p99_5m',
  routeP95: 'service_route:http_server_request_duration:p95_5m',
  receiverRefused: 'receiver_signal:otelcol_receiver_refused:rate5m',
  exporterFailed: 'exporter_signal:otelcol_exporter_send_failed:rate5m',
  exporterEnqueueFailed: 'exporter_signal:otelcol_exporter_enqueue_failed:rate5m',
  queueFill: 'exporter:otelcol_exporter_queue_fill:ratio',
  senderDropped: 'service_signal_reason:telemetry_dropped:rate5m',
  filesystemFree: 'mountpoint:system_filesystem_free:ratio',
  memoryUsed: 'host:system_memory_used:ratio',
});

const R = RECORDED;

/** `sum by (by) (rate(name[5m]))` per signal, with a `signal` label, joined with `or`. */
function perSignal(by: string, metrics: Readonly<Record<'traces' | 'metrics' | 'logs', string>>): string {
  return (Object.entries(metrics) as [string, string][])
    .map(([signal, name]) => `label_replace(sum by (${by}) (rate(${name}[5m])), "signal", "${signal}", "", "")`)
    .join('\nor\n');
}

function quantile(q: number, buckets: string, by: string): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (${buckets}))`;
}

const service: RecordingRule[] = [
  { record: R.identity, expr: IDENTITY_EXPR },
  {
    record: R.routeRequests,
    expr: `sum by (${S}, ${E}, http_route, http_request_method, http_response_status_code) (\n  ${withIdentity(`rate(${SERVICE.httpServerDuration}_count[5m])`)}\n)`,
  },
  { record: R.requests, expr: `sum by (${S}, ${E}) (${R.routeRequests})` },
  { record: R.errors, expr: `sum by (${S}, ${E}) (${R.routeRequests}{http_response_status_code=~"5.."})` },
  // A service without a single 5xx has no error series; 0 keeps its ratio on the graph.
  { record: R.errorRatio, expr: `(${R.errors} or 0 * ${R.requests})\n/\n${R.requests}` },
  {
    record: R.routeBuckets,
    expr: `sum by (${S}, ${E}, http_route, le) (\n  ${withIdentity(`rate(${SERVICE.httpServerDuration}_bucket[5m])`)}\n)`,
  },
  { record: R.buckets, expr: `sum by (${S}, ${E}, le) (${R.routeBuckets})` },
  { record: R.p50, expr: quantile(0.5, R.buckets, `${S}, ${E}`) },
  { record: R.p95, expr: quantile(0.95, R.buckets, `${S}, ${E}`) },
  { record: R.p99, expr: quantile(0.99, R.buckets, `${S}, ${E}`) },
  { record: R.routeP95, expr: quantile(0.95, R.routeBuckets, `${S}, ${E}, http_route`) },
];

const pipeline: RecordingRule[] = [
  {
    record: R.receiverRefused,
    expr: perSignal('receiver', { traces: COLLECTOR.receiverRefusedSpans, metrics: COLLECTOR.receiverRefusedMetricPoints, logs: COLLECTOR.receiverRefusedLogRecords }),
  },
  {
    record: R.exporterFailed,
    expr: perSignal('exporter', { traces: COLLECTOR.exporterSendFailedSpans, metrics: COLLECTOR.exporterSendFailedMetricPoints, logs: COLLECTOR.exporterSendFailedLogRecords }),
  },
  {
    record: R.exporterEnqueueFailed,
    expr: perSignal('exporter', { traces: COLLECTOR.exporterEnqueueFailedSpans, metrics: COLLECTOR.exporterEnqueueFailedMetricPoints, logs: COLLECTOR.exporterEnqueueFailedLogRecords }),
  },
  {
    record: R.queueFill,
    expr: `max by (exporter, data_type) (${COLLECTOR.exporterQueueSize} / ${COLLECTOR.exporterQueueCapacity})`,
  },
  // What services' own exporters drop before anything reaches the collector (@o4o/otel's counter).
  {
    record: R.senderDropped,
    expr: `sum by (${S}, ${E}, signal, reason) (\n  ${withIdentity(`rate(${BUSINESS.telemetryDropped}[5m])`)}\n)`,
  },
];

// Host metrics carry `host_name` (the collector copies the resource's host.name
// onto them), so several hosts stay apart.
const host: RecordingRule[] = [
  {
    record: R.filesystemFree,
    expr: `sum by (${LABELS.host}, device, mountpoint) (${HOST.filesystemUsage}{state="free"})\n/\nsum by (${LABELS.host}, device, mountpoint) (${HOST.filesystemUsage}{state=~"free|used"})`,
  },
  {
    record: R.memoryUsed,
    expr: `sum by (${LABELS.host}) (${HOST.memoryUsage}{state="used"})\n/\nsum by (${LABELS.host}) (${HOST.memoryUsage}{state=~"used|free|buffered|cached"})`,
  },
];

export function recordingRules(): RuleFile {
  return {
    groups: [
      { name: 'o4o-service-recording', rules: service },
      { name: 'o4o-pipeline-recording', rules: pipeline },
      { name: 'o4o-host-recording', rules: host },
    ],
  };
}
