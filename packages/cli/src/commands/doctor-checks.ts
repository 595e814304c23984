/**
 * doctor's findings from what the endpoints returned: pure functions from a
 * scrape or an API answer to check results, each problem with its fix.
 */
import { counter, stackEndpoints, sum, type Sample, type ScrapeTarget } from '@o4o/backends';
import type { CheckResult } from '../render/doctor';

/** Where a service on this machine exports to: the local stack's collector (stack/endpoints.env). */
export const LOCAL_OTLP_ENDPOINT = stackEndpoints({}).collectorOtlpHttp;

/** Which backend each exporter of collector/config/base.yaml sends to. */
export const EXPORTER_BACKENDS: Readonly<Record<string, string>> = {
  'otlp_grpc/jaeger': 'Jaeger',
  'prometheus_remote_write/prometheus': 'Prometheus',
  'search_bulk/logs': 'the search node',
};

/** [metric name part, word used in the report]. */
const SIGNALS = [
  ['spans', 'spans'],
  ['log_records', 'log_records'],
  ['metric_points', 'metric_points'],
] as const;

function count(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** The service's effective telemetry configuration, as its target_info states it. */
export function serviceChecks(samples: readonly Sample[], expectedName: string | undefined): { results: CheckResult[]; serviceName: string | undefined } {
  const info = samples.find((s) => s.name === 'target_info');
  if (!info) {
    return {
      serviceName: expectedName,
      results: [
        {
          name: 'service telemetry',
          status: 'problem',
          detail: 'the endpoint answers but has no target_info: not an OpenTelemetry Prometheus exporter',
          fix: 'run the service with node --require @o4o/otel/register and point --service-metrics at its OTEL_EXPORTER_PROMETHEUS_HOST:PORT (default 127.0.0.1:9464)',
        },
      ],
    };
  }
  const l = info.labels;
  const serviceName = l.service_name;
  const distro = l.telemetry_distro_name ? `${l.telemetry_distro_name} ${l.telemetry_distro_version ?? ''}`.trim() : 'none (not the @o4o/otel preload)';
  const http = samples.some((s) => s.name.startsWith('http_server_request_duration'));
  const results: CheckResult[] = [
    {
      name: 'service telemetry',
      status: 'ok',
      detail: `service.name=${serviceName ?? '?'} version=${l.service_version ?? '-'} distro=${distro} sdk=${[l.telemetry_sdk_name ?? '?', l.telemetry_sdk_version].filter(Boolean).join(' ')} http metrics=${http ? 'yes' : 'none yet'}`,
    },
  ];
  if (!serviceName || serviceName.startsWith('unknown_service')) {
    results.push({ name: 'service name', status: 'problem', detail: `service.name is ${serviceName ?? 'missing'}`, fix: 'set OTEL_SERVICE_NAME=<service> in the service environment' });
  } else if (expectedName && serviceName !== expectedName) {
    results.push({ name: 'service name', status: 'problem', detail: `the endpoint reports service.name=${serviceName}, expected ${expectedName}`, fix: `set OTEL_SERVICE_NAME=${expectedName}, or check --service-metrics points at the right service` });
  }
  return { results, serviceName: serviceName ?? expectedName };
}

/** Receiving, refusing, failing and queueing, from the collector's own metrics. */
export function collectorMetricChecks(samples: readonly Sample[]): CheckResult[] {
  const results: CheckResult[] = [];
  // Only what services send over OTLP: the collector's own scrapers (host metrics,
  // Prometheus) always have something, even when no service reaches it.
  const accepted = SIGNALS.map(([metric, words]) => [words, sum(counter(samples, `otelcol_receiver_accepted_${metric}`).filter((s) => s.labels.receiver?.startsWith('otlp')))] as const);
  const total = accepted.reduce((n, [, v]) => n + v, 0);
  results.push(
    total > 0
      ? { name: 'collector receiving', status: 'ok', detail: `accepted over OTLP since start: ${accepted.map(([w, v]) => `${w}=${count(v)}`).join(' ')}` }
      : {
          name: 'collector receiving',
          status: 'problem',
          detail: 'the collector has accepted no spans, log records or metric points over OTLP since it started',
          fix: `export to it: OTEL_EXPORTER_OTLP_ENDPOINT=${LOCAL_OTLP_ENDPOINT} in the service environment, and make a request`,
        },
  );
  for (const [metric, words] of SIGNALS) {
    const refused = sum(counter(samples, `otelcol_receiver_refused_${metric}`));
    if (refused > 0) {
      results.push({
        name: `collector refused ${words}`,
        status: 'problem',
        detail: `receivers refused ${words}=${count(refused)} since the collector started`,
        fix: 'memory_limiter is refusing data or senders send malformed OTLP: check the collector log (.stack/logs/collector.log) and its memory limit',
      });
    }
  }
  const exporters = new Set(samples.filter((s) => s.name.startsWith('otelcol_exporter_') && s.labels.exporter).map((s) => s.labels.exporter!));
  for (const exporter of [...exporters].sort()) {
    const of = (name: string): Sample[] => counter(samples, name).filter((s) => s.labels.exporter === exporter);
    const failed = SIGNALS.map(([metric, words]) => [words, sum(of(`otelcol_exporter_send_failed_${metric}`)) + sum(of(`otelcol_exporter_enqueue_failed_${metric}`))] as const).filter(([, v]) => v > 0);
    const sent = SIGNALS.map(([metric, words]) => [words, sum(of(`otelcol_exporter_sent_${metric}`))] as const).filter(([, v]) => v > 0);
    const size = sum(of('otelcol_exporter_queue_size'));
    const capacity = sum(of('otelcol_exporter_queue_capacity'));
    const queue = capacity > 0 ? ` queue ${count(size)}/${count(capacity)}` : '';
    const backend = EXPORTER_BACKENDS[exporter] ?? 'its backend';
    if (failed.length > 0) {
      results.push({
        name: `exporter ${exporter}`,
        status: 'problem',
        detail: `send failures since the collector started: ${failed.map(([w, v]) => `${w}=${count(v)}`).join(' ')};${queue}`,
        fix: `make ${backend} reachable (see its check); the sending queue retries for up to 15 minutes`,
      });
    } else if (capacity > 0 && size / capacity > 0.8) {
      results.push({ name: `exporter ${exporter}`, status: 'problem', detail: `sending queue is ${Math.round((100 * size) / capacity)}% full (${count(size)}/${count(capacity)})`, fix: `${backend} is slow or down: check it; the queue drops data when full` });
    } else {
      results.push({ name: `exporter ${exporter}`, status: 'ok', detail: `sent ${sent.map(([w, v]) => `${w}=${count(v)}`).join(' ') || 'nothing yet'};${queue}`.replace(/;$/, '') });
    }
  }
  return results;
}

export function targetChecks(targets: readonly ScrapeTarget[]): CheckResult[] {
  const down = targets.filter((t) => t.health !== 'up');
  if (targets.length === 0) return [{ name: 'Prometheus targets', status: 'problem', detail: 'no active scrape targets', fix: 'check scrape_configs in the Prometheus config (stack/prometheus.yml)' }];
  const results: CheckResult[] = [{ name: 'Prometheus targets', status: down.length ? 'problem' : 'ok', detail: `${targets.length - down.length}/${targets.length} up`, ...(down.length ? { fix: 'start what the failing targets below scrape' } : {}) }];
  for (const t of down) {
    results.push({ name: `target ${t.job}`, status: 'problem', detail: `${t.scrapeUrl} is ${t.health}${t.lastError ? `: ${t.lastError}` : ''}`, fix: `start the ${t.job} process behind ${t.scrapeUrl} (bash stack/start.sh starts the local stack)` });
  }
  return results;
}
