/**
 * Alert rules of the platform monitoring guide, on top of the recording
 * rules. Each has a duration (`for`), a floor on traffic or count where one
 * error could otherwise page someone, a `service_name` label (inhibition and
 * grouping in Alertmanager use it), and summary, description (with the
 * current value), runbook and dashboard links.
 */
import { withIdentity } from './identity';
import { dashboardUrl, runbookUrl, type DashboardKey } from './links';
import { BUSINESS, LABELS, PROBE } from './names';
import { RECORDED as R } from './recording';
import type { AlertRule, RuleFile, Severity } from './types';

const S = LABELS.service;
const E = LABELS.environment;

/** Thresholds, in one place so the runbooks and tests can name them. */
export const THRESHOLDS = Object.freeze({
  errorRatio: 0.05,
  /** At least this many 5xx in the 5-minute window: no page for one failed request. */
  minErrorsIn5m: 5,
  p95Seconds: 2,
  /** Requests per second below which a p95 is too few requests to page on (30 in 5 minutes). */
  minRequestsPerSecond: 0.1,
  outOfStockProducts: 10,
  queueFill: 0.8,
  diskFreeHigh: 0.1,
  diskFreeLow: 0.2,
  memoryUsed: 0.9,
});
const T = THRESHOLDS;

/** ` (prod)` after a service name, nothing where the service sets no environment. */
const IN_ENV = `{{ with $labels.${E} }} ({{ . }}){{ end }}`;

const serviceVars = { service: `{{ $labels.${S} | urlquery }}`, environment: `{{ $labels.${E} | urlquery }}` };

function alert(
  name: string,
  severity: Severity,
  expr: string,
  duration: string,
  text: { summary: string; description: string },
  dashboard: DashboardKey,
  vars: Record<string, string> = {},
): AlertRule {
  return {
    alert: name,
    expr,
    for: duration,
    labels: { severity },
    annotations: { ...text, runbook_url: runbookUrl(name), dashboard_url: dashboardUrl(dashboard, vars) },
  };
}

const service: AlertRule[] = [
  alert(
    'ApiErrorRateHigh',
    'critical',
    `${R.errorRatio} > ${T.errorRatio}\nand on (${S}, ${E})\n${R.errors} * 300 >= ${T.minErrorsIn5m}`,
    '5m',
    {
      summary: `{{ $labels.${S} }}: {{ $value | humanizePercentage }} of requests fail`,
      description: `{{ $value | humanizePercentage }} of HTTP requests to {{ $labels.${S} }}${IN_ENV} answered 5xx over the last 5 minutes, above ${T.errorRatio * 100}% for 5 minutes.`,
    },
    'service',
    serviceVars,
  ),
  alert(
    'ApiLatencyP95High',
    'high',
    `${R.p95} > ${T.p95Seconds}\nand on (${S}, ${E})\n${R.requests} > ${T.minRequestsPerSecond}`,
    '5m',
    {
      summary: `{{ $labels.${S} }}: p95 latency {{ $value | humanizeDuration }}`,
      description: `95% of requests to {{ $labels.${S} }}${IN_ENV} took up to {{ $value | humanizeDuration }} over the last 5 minutes, above ${T.p95Seconds} s for 5 minutes.`,
    },
    'service',
    serviceVars,
  ),
  alert(
    'ServiceDown',
    'critical',
    // The liveness probe (/health/live) fails only when the process does not answer;
    // a dependency outage fails readiness instead and raises its own alert.
    `${PROBE.success}{${S}!=""} == 0`,
    '2m',
    {
      summary: `{{ $labels.${S} }} does not answer its liveness probe`,
      description: `{{ $labels.${S} }}${IN_ENV} has not answered its liveness probe ({{ $labels.instance }}) for 2 minutes (probe_success = {{ $value }}): the process is down or hung.`,
    },
    'overview',
  ),
];

const payment: AlertRule[] = [
  alert(
    'PaymentProviderDown',
    'critical',
    // Every instance of the service finds the provider unhealthy (max = 0), or
    // an uptime probe of the provider itself (a probe URL naming "payment") fails.
    `max by (${S}, ${E}) (${withIdentity(`${BUSINESS.healthCheckStatus}{check=~"payment.*"}`)}) == 0\nor\nlabel_replace(${PROBE.success}{instance=~"(?i).*payment.*"}, "${S}", "$1", "instance", "(.+)") == 0`,
    '2m',
    {
      summary: `{{ $labels.${S} }}: the payment provider is not responding`,
      description: `{{ $labels.${S} }}${IN_ENV} has found the payment provider unhealthy for 2 minutes (health = {{ $value }}): no order can be paid.`,
    },
    'service',
    serviceVars,
  ),
];

const dependencies: AlertRule[] = [
  alert(
    'DependencyDown',
    'critical',
    // The payment provider has its own alert (PaymentProviderDown); every other
    // dependency check, failing on every instance of the service, raises this one.
    `max by (${S}, ${E}, check) (${withIdentity(`${BUSINESS.healthCheckStatus}{check!~"payment.*"}`)}) == 0`,
    '2m',
    {
      summary: `{{ $labels.${S} }}: dependency {{ $labels.check }} is down`,
      description: `Every instance of {{ $labels.${S} }}${IN_ENV} has found its dependency {{ $labels.check }} unhealthy for 2 minutes (health = {{ $value }}); the service answers but cannot serve what needs it.`,
    },
    'service',
    serviceVars,
  ),
];

const business: AlertRule[] = [
  alert(
    'ProductsOutOfStock',
    'high',
    // Every instance reads the same database: max, not sum.
    `max by (${S}, ${E}) (${withIdentity(BUSINESS.productsOutOfStock)}) > ${T.outOfStockProducts}`,
    '10m',
    {
      summary: `{{ $value }} products are out of stock`,
      description: `{{ $labels.${S} }}${IN_ENV} reports {{ $value }} products without stock for 10 minutes (threshold ${T.outOfStockProducts}).`,
    },
    'business',
    { environment: serviceVars.environment },
  ),
];

const PIPELINE = 'o4o-otelcol';
const pipelineLabels = (a: AlertRule): AlertRule => ({ ...a, labels: { ...a.labels, [S]: PIPELINE } });

const pipeline: AlertRule[] = [
  alert(
    'TelemetryCollectorDown',
    'critical',
    `up{job="otel-collector"} == 0`,
    '2m',
    {
      summary: 'The telemetry collector is down: no traces, metrics or logs arrive',
      description: 'Prometheus has not reached the collector at {{ $labels.instance }} for 2 minutes (up = {{ $value }}).',
    },
    'pipeline',
  ),
  alert(
    'TelemetryDataRefused',
    'high',
    `${R.receiverRefused} > 0`,
    '10m',
    {
      summary: 'The collector refuses {{ $labels.signal }} at {{ $labels.receiver }}',
      description: 'Receiver {{ $labels.receiver }} has refused {{ $value | humanize }} {{ $labels.signal }} items per second for 10 minutes (memory limiter or a full pipeline): senders drop them.',
    },
    'pipeline',
  ),
  alert(
    'TelemetryExportFailing',
    'high',
    `${R.exporterFailed} > 0\nor\n${R.exporterEnqueueFailed} > 0`,
    '10m',
    {
      summary: 'The collector loses {{ $labels.signal }} at {{ $labels.exporter }}',
      description: 'Exporter {{ $labels.exporter }} has failed to send or enqueue {{ $value | humanize }} {{ $labels.signal }} items per second for 10 minutes: they are lost.',
    },
    'pipeline',
  ),
  alert(
    'TelemetryQueueFilling',
    'high',
    `${R.queueFill} > ${T.queueFill}`,
    '5m',
    {
      summary: 'Sending queue of {{ $labels.exporter }} is {{ $value | humanizePercentage }} full',
      description: `The {{ $labels.data_type }} queue of {{ $labels.exporter }} has been above ${T.queueFill * 100}% for 5 minutes ({{ $value | humanizePercentage }}); when full, new data is dropped.`,
    },
    'pipeline',
  ),
  alert(
    'TelemetryDropping',
    'high',
    // The sending service moves to `sender`: `service_name` is the pipeline's, like the alerts above, so that
    // TelemetryCollectorDown (the usual cause) inhibits it.
    `label_replace(${R.senderDropped}, "sender", "$1", "${S}", "(.*)") > 0`,
    '10m',
    {
      summary: '{{ $labels.sender }} drops {{ $labels.signal }} ({{ $labels.reason }})',
      description: `{{ $labels.sender }}{{ with $labels.${E} }} ({{ . }}){{ end }} has dropped {{ $value | humanize }} {{ $labels.signal }} items per second for 10 minutes before they reached the collector, reason {{ $labels.reason }}: they are lost.`,
    },
    'pipeline',
  ),
].map(pipelineLabels);

const HOST = 'host';
const hostLabels = (a: AlertRule): AlertRule => ({ ...a, labels: { ...a.labels, [S]: HOST } });

const host: AlertRule[] = [
  alert(
    'HostDiskAlmostFull',
    'high',
    `${R.filesystemFree} < ${T.diskFreeHigh}`,
    '15m',
    {
      summary: '{{ $labels.host_name }}: {{ $labels.mountpoint }} has {{ $value | humanizePercentage }} free',
      description: `Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.host_name }} has had less than ${T.diskFreeHigh * 100}% free for 15 minutes ({{ $value | humanizePercentage }}).`,
    },
    'infrastructure',
  ),
  alert(
    'HostDiskFilling',
    'low',
    `${R.filesystemFree} < ${T.diskFreeLow}`,
    '1h',
    {
      summary: '{{ $labels.host_name }}: {{ $labels.mountpoint }} has {{ $value | humanizePercentage }} free',
      description: `Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.host_name }} has had less than ${T.diskFreeLow * 100}% free for an hour ({{ $value | humanizePercentage }}): plan cleanup or growth.`,
    },
    'infrastructure',
  ),
  alert(
    'HostMemoryPressure',
    'medium',
    `${R.memoryUsed} > ${T.memoryUsed}`,
    '15m',
    {
      summary: '{{ $labels.host_name }}: memory {{ $value | humanizePercentage }} used',
      description: `More than ${T.memoryUsed * 100}% of the memory of {{ $labels.host_name }} has been in use (not cache or buffers) for 15 minutes ({{ $value | humanizePercentage }}).`,
    },
    'infrastructure',
  ),
].map(hostLabels);

export function alertRules(): RuleFile {
  return {
    groups: [
      { name: 'o4o-service-alerts', rules: [...service, ...payment, ...dependencies] },
      { name: 'o4o-business-alerts', rules: business },
      { name: 'o4o-pipeline-alerts', rules: pipeline },
      { name: 'o4o-host-alerts', rules: host },
    ],
  };
}
