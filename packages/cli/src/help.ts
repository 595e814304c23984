/** The usage text, per command. */
import { DEFAULTS } from './config';

const ENDPOINTS = `Endpoints (flag, else variable, else local default):
  --jaeger URL             O4O_JAEGER_URL          ${DEFAULTS.jaeger}
  --search URL             O4O_SEARCH_URL          ${DEFAULTS.search}
  --prometheus URL         O4O_PROMETHEUS_URL      ${DEFAULTS.prometheus}
  --alertmanager URL       O4O_ALERTMANAGER_URL    ${DEFAULTS.alertmanager}
  --collector URL          O4O_COLLECTOR_HEALTH    ${DEFAULTS.collectorHealth}
  --collector-metrics URL  O4O_COLLECTOR_METRICS   ${DEFAULTS.collectorMetrics}
  --grafana URL            O4O_GRAFANA_URL         (none: no Grafana links)
  --index NAME             O4O_LOGS_INDEX          ${DEFAULTS.logsIndex}
  --timeout DURATION       O4O_CLI_TIMEOUT         ${DEFAULTS.timeoutMillis / 1000}s per request
  --json                   machine-readable output on stdout`;

const EXIT_CODES = `Exit codes: 0 ok; 1 not found / no match / doctor found problems;
2 usage error (unknown flag, malformed trace id); 3 a backend is unreachable or failing.`;

const COMMANDS: Readonly<Record<string, string>> = {
  trace: `o4o-otel trace <traceId>
  The trace's span tree from Jaeger, its log records from the search node in
  time order, and links to open it in Jaeger (and Grafana with --grafana).
  traceId: 32 hex digits, e.g. 4bf92f3577b34da6a3ce929d0e0e4736.`,
  find: `o4o-otel find [--service S]... [--operation OP] [--attr key=value]... [--errors]
              [--min-duration 250ms] [--since 1h|ISO] [--until 5m|ISO] [--limit ${DEFAULTS.findLimit}] [--sort time|duration]
  Traces matching every condition, newest (or longest) first. Without --service,
  every service Jaeger knows is searched. Exit 1 when nothing matches.`,
  alerts: `o4o-otel alerts [--service S] [--examples ${DEFAULTS.alertExamples}]
  Alerts firing in Alertmanager, each with example trace ids for its service and
  route: span-metrics exemplars from Prometheus, else a Jaeger span search.`,
  doctor: `o4o-otel doctor [--service-metrics http://127.0.0.1:9464/metrics] [--service-name NAME]
  Checks a service's telemetry settings (its target_info) and the pipeline:
  collector health, receiving, refused and failed data, queues, Prometheus
  targets, and whether Jaeger, the search node and Alertmanager answer.
  Prints each problem with its fix; exit 1 when any is found.`,
};

export function helpText(topic: string | undefined): string {
  if (topic && COMMANDS[topic]) return `${COMMANDS[topic]}\n\n${ENDPOINTS}\n\n${EXIT_CODES}\n`;
  return `o4o-otel: trace, log and alert lookups for on-call engineers

${Object.values(COMMANDS).join('\n\n')}

${ENDPOINTS}

${EXIT_CODES}
`;
}
