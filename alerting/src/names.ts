/**
 * The one list of metric names that dashboards and alert rules may use, as
 * Prometheus stores them in the O4O pipeline. Every name here was read back
 * from a running stack (`/api/v1/label/__name__/values`); test/e2e checks it
 * again after driving traffic. A test fails when a rule or panel uses a name
 * that is not here.
 *
 * How names arrive, and why they differ by path:
 * - Services' metrics are scraped by the collector from the preload's
 *   Prometheus endpoint and remote-written unchanged: no unit suffix
 *   (`http_server_request_duration_bucket`), counters end in `_total`. The
 *   series carry the scrape's `job` (a name the collector config sets, not
 *   the service's own: `services`, then a fixed `shop-api` locally, the scrape
 *   job in production) and the endpoint as `instance`; the service's own name
 *   is reliably only on `target_info` (see identity.ts).
 * - Span metrics and host metrics come over OTLP and get the standard
 *   OTel-to-Prometheus translation with unit suffixes
 *   (`traces_span_metrics_duration_seconds_bucket`, `system_memory_usage_bytes`);
 *   `job` is service.name.
 * - The collector's own telemetry is scraped by Prometheus from its telemetry
 *   port (O4O_COLLECTOR_TELEMETRY_PORT in the local stack's address book,
 *   stack/endpoints.env); its counters have no `_total` (`otelcol_exporter_sent_spans`).
 */

/** Series written by @o4o/otel's Prometheus endpoint (scraped, names as exposed). */
export const SERVICE = Object.freeze({
  httpServerDuration: 'http_server_request_duration',
  httpClientDuration: 'http_client_request_duration',
  dbOperationDuration: 'db_client_operation_duration',
  // @o4o/otel keeps the earlier semconv name: a gauge named *_count would read as a histogram count.
  dbConnectionUsage: 'db_client_connections_usage',
  dbConnectionMax: 'db_client_connection_max',
  dbConnectionPending: 'db_client_connection_pending_requests',
  eventLoopDelayP99: 'nodejs_eventloop_delay_p99',
  eventLoopUtilization: 'nodejs_eventloop_utilization',
  heapUsed: 'v8js_memory_heap_used',
  heapLimit: 'v8js_memory_heap_space_size',
  gcDuration: 'v8js_gc_duration',
  targetInfo: 'target_info',
  up: 'up',
});

/** The shape of @o4o/otel's telemetry-registry.json that this package reads. */
interface TelemetryRegistry {
  readonly instruments: readonly { readonly key: string; readonly kind: string; readonly prometheus: string }[];
}

const BUSINESS_KEYS = [
  'ordersPlaced',
  'orderValue',
  'revenue',
  'checkoutsStarted',
  'usersRegistered',
  'usersActive',
  'paymentsProcessed',
  'productsOutOfStock',
  'productsLowStock',
  'ordersActive',
  'rejectedValues',
  'telemetryDropped',
  'healthCheckStatus',
  'healthCheckDuration',
] as const;
export type BusinessKey = (typeof BUSINESS_KEYS)[number];

/** Prometheus names of the registry's instruments; a key the registry lacks fails generation. */
export function businessNames(registry: TelemetryRegistry): Readonly<Record<BusinessKey, string>> {
  const byKey = new Map(registry.instruments.map((i) => [i.key, i.prometheus]));
  const names = {} as Record<BusinessKey, string>;
  for (const key of BUSINESS_KEYS) {
    const name = byKey.get(key);
    if (name === undefined) throw new Error(`@o4o/otel's telemetry registry has no instrument "${key}"; dashboards and alert rules use it`);
    names[key] = name;
  }
  return Object.freeze(names);
}

/**
 * Business and health instruments, named by @o4o/otel's registry
 * (packages/otel/telemetry-registry.json): the preload exposes them with dots
 * as underscores, `_total` on counters and no unit suffix, and the collector
 * forwards them unchanged.
 */
export const BUSINESS = businessNames(require('@o4o/otel/telemetry-registry.json') as TelemetryRegistry);

/** The collector's span metrics connector (OTLP path, unit suffixes). */
export const SPANS = Object.freeze({
  calls: 'traces_span_metrics_calls_total',
  duration: 'traces_span_metrics_duration_seconds',
});

/** Blackbox exporter health probes, scraped by the collector (job `health`). */
export const PROBE = Object.freeze({
  success: 'probe_success',
  duration: 'probe_duration_seconds',
});

/** Host metrics receiver (OTLP path, unit suffixes). */
export const HOST = Object.freeze({
  cpuTime: 'system_cpu_time_seconds_total',
  cpuLogicalCount: 'system_cpu_logical_count',
  load1: 'system_cpu_load_average_1m',
  memoryUsage: 'system_memory_usage_bytes',
  filesystemUsage: 'system_filesystem_usage_bytes',
  diskIo: 'system_disk_io_bytes_total',
  networkIo: 'system_network_io_bytes_total',
  networkErrors: 'system_network_errors_total',
  networkDropped: 'system_network_dropped_total',
});

/** The collector's own telemetry (Prometheus scrapes its telemetry port; counters without `_total`). */
export const COLLECTOR = Object.freeze({
  receiverAcceptedSpans: 'otelcol_receiver_accepted_spans',
  receiverAcceptedMetricPoints: 'otelcol_receiver_accepted_metric_points',
  receiverAcceptedLogRecords: 'otelcol_receiver_accepted_log_records',
  receiverRefusedSpans: 'otelcol_receiver_refused_spans',
  receiverRefusedMetricPoints: 'otelcol_receiver_refused_metric_points',
  receiverRefusedLogRecords: 'otelcol_receiver_refused_log_records',
  exporterSentSpans: 'otelcol_exporter_sent_spans',
  exporterSentMetricPoints: 'otelcol_exporter_sent_metric_points',
  exporterSentLogRecords: 'otelcol_exporter_sent_log_records',
  exporterSendFailedSpans: 'otelcol_exporter_send_failed_spans',
  exporterSendFailedMetricPoints: 'otelcol_exporter_send_failed_metric_points',
  exporterSendFailedLogRecords: 'otelcol_exporter_send_failed_log_records',
  exporterEnqueueFailedSpans: 'otelcol_exporter_enqueue_failed_spans',
  exporterEnqueueFailedMetricPoints: 'otelcol_exporter_enqueue_failed_metric_points',
  exporterEnqueueFailedLogRecords: 'otelcol_exporter_enqueue_failed_log_records',
  exporterQueueSize: 'otelcol_exporter_queue_size',
  exporterQueueCapacity: 'otelcol_exporter_queue_capacity',
  processMemoryRss: 'otelcol_process_memory_rss',
});

/**
 * Series the collector only creates on the first failure: a healthy pipeline
 * has none, so a short end-to-end run cannot see them. Their spelling follows
 * the same convention as the `sent` counters seen there.
 */
export const ONLY_AFTER_FAILURE: readonly string[] = Object.freeze([
  COLLECTOR.exporterSendFailedSpans,
  COLLECTOR.exporterSendFailedMetricPoints,
  COLLECTOR.exporterSendFailedLogRecords,
  COLLECTOR.exporterEnqueueFailedSpans,
  COLLECTOR.exporterEnqueueFailedMetricPoints,
  COLLECTOR.exporterEnqueueFailedLogRecords,
]);

/** Histogram series suffixes. */
const HISTOGRAMS = new Set<string>([SERVICE.httpServerDuration, SERVICE.httpClientDuration, SERVICE.dbOperationDuration, SERVICE.gcDuration, BUSINESS.orderValue, SPANS.duration]);

/** Every stored series name the catalogue allows, histograms expanded to _bucket/_sum/_count. */
export function knownSeriesNames(): ReadonlySet<string> {
  const names = new Set<string>();
  for (const group of [SERVICE, BUSINESS, SPANS, PROBE, HOST, COLLECTOR]) {
    for (const name of Object.values(group)) {
      if (HISTOGRAMS.has(name)) for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      else names.add(name);
    }
  }
  return names;
}

/** Labels every recording rule and alert uses for who and where. */
export const LABELS = Object.freeze({
  /** OpenTelemetry `service.name`, spelled as span metrics and target_info spell it. */
  service: 'service_name',
  /** OpenTelemetry `deployment.environment.name`; empty where a service does not set it. */
  environment: 'deployment_environment_name',
  /** OpenTelemetry `host.name`, copied onto host metrics by the collector. */
  host: 'host_name',
});
