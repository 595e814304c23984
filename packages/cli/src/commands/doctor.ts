/**
 * `o4o-otel doctor`: is this service's telemetry getting through? Checks the
 * service's own telemetry settings, the collector (health, receiving, refused,
 * export failures, queues), Prometheus' scrape targets and whether Jaeger, the
 * search node and Alertmanager answer. Unreachable backends are findings here,
 * not errors: exit 1 when any problem is found, else 0.
 */
import { alertmanagerClient, BackendUnreachableError, collectorClient, jaegerClient, prometheusClient, scrape, searchClient, type BackendRef } from '@o4o/backends';
import { backendRefs, serviceMetricsRef } from '../backends/refs';
import type { CliConfig } from '../config';
import { EXIT, reported } from '../errors';
import { outcome, type Outcome } from '../outcome';
import { renderDoctor, type CheckResult } from '../render/doctor';
import { collectorMetricChecks, LOCAL_OTLP_ENDPOINT, serviceChecks, targetChecks } from './doctor-checks';

function unreachable(name: string, ref: BackendRef, error: unknown): CheckResult {
  if (error instanceof BackendUnreachableError) return { name, status: 'problem', detail: `${ref.name} at ${ref.url} is unreachable (${error.reason})`, fix: ref.hint };
  const failure = reported(error);
  if (failure !== undefined) return { name, status: 'problem', detail: failure.message, fix: `check ${ref.name} at ${ref.url}: it answers, but not as expected` };
  throw error;
}

/** Runs one probe; a backend error becomes a problem naming the backend. */
async function probe(name: string, ref: BackendRef, check: () => Promise<CheckResult | CheckResult[]>): Promise<CheckResult[]> {
  try {
    const result = await check();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    return [unreachable(name, ref, error)];
  }
}

export async function runDoctor(config: CliConfig, serviceMetrics: string | undefined, serviceName: string | undefined): Promise<Outcome> {
  const refs = backendRefs(config);
  const collector = collectorClient(refs.collectorHealth, refs.collectorMetrics);
  const jaeger = jaegerClient(refs.jaeger);

  let knownService = serviceName;
  const serviceProbe = serviceMetrics
    ? probe('service telemetry', serviceMetricsRef(serviceMetrics, config.timeoutMillis), async () => {
        const checks = serviceChecks(await scrape(serviceMetricsRef(serviceMetrics, config.timeoutMillis)), serviceName);
        // The name asked for wins: the question is whether *its* traces arrive.
        knownService = serviceName ?? checks.serviceName;
        return checks.results;
      })
    : Promise.resolve<CheckResult[]>([{ name: 'service telemetry', status: 'skipped', detail: 'pass --service-metrics http://127.0.0.1:9464/metrics to check a service' }]);

  const [service, health, metrics, targets, search, alertmanager] = await Promise.all([
    serviceProbe,
    probe('collector health', refs.collectorHealth, async () => {
      const { healthy, status } = await collector.healthStatus();
      return healthy
        ? { name: 'collector health', status: 'ok', detail: `${refs.collectorHealth.url}: ${status}` }
        : { name: 'collector health', status: 'problem', detail: `${refs.collectorHealth.url}: ${status}`, fix: 'the collector is up but not ready: read .stack/logs/collector.log' };
    }),
    probe('collector metrics', refs.collectorMetrics, async () => collectorMetricChecks(await collector.metrics())),
    probe('Prometheus', refs.prometheus, async () => targetChecks(await prometheusClient(refs.prometheus).targets())),
    probe('search node', refs.search, async () => {
      const client = searchClient(refs.search, config.logsIndex);
      const info = await client.info();
      const logs = await client.countLogs();
      return { name: 'search node', status: 'ok', detail: `${refs.search.url}: ${info.distribution} ${info.version}, ${logs} log records in ${config.logsIndex}*` };
    }),
    probe('Alertmanager', refs.alertmanager, async () => {
      const status = await alertmanagerClient(refs.alertmanager).status();
      return { name: 'Alertmanager', status: 'ok', detail: `${refs.alertmanager.url}: version ${status.version || '?'}${status.cluster ? `, cluster ${status.cluster}` : ''}` };
    }),
  ]);
  // After the service probe: it may have told us the service's name.
  const jaegerChecks = await probe('Jaeger', refs.jaeger, async () => {
    const services = await jaeger.services();
    const results: CheckResult[] = [{ name: 'Jaeger', status: 'ok', detail: `${refs.jaeger.url}: ${services.length} services with traces` }];
    if (knownService) {
      results.push(
        services.includes(knownService)
          ? { name: 'service traces', status: 'ok', detail: `Jaeger has traces from ${knownService}` }
          : {
              name: 'service traces',
              status: 'problem',
              detail: `Jaeger has no traces from ${knownService}`,
              fix: `send traces to the collector (OTEL_EXPORTER_OTLP_ENDPOINT=${LOCAL_OTLP_ENDPOINT}, OTEL_TRACES_EXPORTER unset or otlp) and make a request; see the collector checks`,
            },
      );
    }
    return results;
  });

  const results = [...service, ...health, ...metrics, ...targets, ...jaegerChecks, ...search, ...alertmanager];
  const problems = results.filter((r) => r.status === 'problem');
  return outcome(renderDoctor(results), { ok: problems.length === 0, problems: problems.length, checks: results }, [], problems.length > 0 ? EXIT.notFound : EXIT.ok);
}
