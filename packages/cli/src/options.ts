/**
 * Every flag of the command line, once: its name, short form, value, variable,
 * default and meaning. The parser (config.ts), `--help` (help.ts) and the
 * README's tables all follow this table; a test checks that each flag appears
 * in all three.
 */
import type { ParseArgsConfig } from 'node:util';
import { stackEndpoints } from '@o4o/backends';

export const COMMANDS = ['trace', 'find', 'alerts', 'doctor'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** Placeholder of the value in help (`URL`, `S`); absent for a switch. */
  readonly value?: string;
  readonly multiple?: boolean;
  /** The variable read when the flag is not given. */
  readonly env?: string;
  /** The default, as help prints it. */
  readonly fallback?: string;
  readonly help: string;
}

/** The local stack's addresses from its address book (stack/endpoints.env), as help shows them. */
const LOCAL_STACK = stackEndpoints({});

/** Every default in one place. The endpoints are the local stack's (config.ts reads them with the environment's port overrides). */
export const DEFAULTS = Object.freeze({
  jaeger: LOCAL_STACK.jaeger,
  prometheus: LOCAL_STACK.prometheus,
  alertmanager: LOCAL_STACK.alertmanager,
  search: LOCAL_STACK.search,
  collectorHealth: LOCAL_STACK.collectorHealth,
  collectorMetrics: LOCAL_STACK.collectorMetrics,
  timeoutMillis: 5_000,
  logsIndex: 'o4o-logs',
  findSince: '1h',
  findLimit: 20,
  alertExamples: 3,
});

/** Options every command takes: where the backends are, and how to print. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: 'jaeger', value: 'URL', env: 'O4O_JAEGER_URL', fallback: DEFAULTS.jaeger, help: 'Jaeger query API' },
  { name: 'search', value: 'URL', env: 'O4O_SEARCH_URL', fallback: DEFAULTS.search, help: 'search node (Elasticsearch/OpenSearch) holding the logs' },
  { name: 'prometheus', value: 'URL', env: 'O4O_PROMETHEUS_URL', fallback: DEFAULTS.prometheus, help: 'Prometheus' },
  { name: 'alertmanager', value: 'URL', env: 'O4O_ALERTMANAGER_URL', fallback: DEFAULTS.alertmanager, help: 'Alertmanager' },
  { name: 'collector', value: 'URL', env: 'O4O_COLLECTOR_HEALTH', fallback: DEFAULTS.collectorHealth, help: "the collector's health_check extension" },
  { name: 'collector-metrics', value: 'URL', env: 'O4O_COLLECTOR_METRICS', fallback: DEFAULTS.collectorMetrics, help: "the collector's own metrics" },
  { name: 'grafana', value: 'URL', env: 'O4O_GRAFANA_URL', help: 'Grafana, for links; without it, none' },
  { name: 'index', value: 'NAME', env: 'O4O_LOGS_INDEX', fallback: DEFAULTS.logsIndex, help: 'log index prefix, searched as NAME*' },
  { name: 'timeout', value: 'DURATION', env: 'O4O_CLI_TIMEOUT', fallback: `${DEFAULTS.timeoutMillis / 1000}s`, help: 'deadline of each request' },
  { name: 'json', help: 'machine-readable output on stdout' },
  { name: 'help', short: 'h', help: 'this text' },
];

export const COMMAND_OPTIONS: Readonly<Record<CommandName, readonly OptionSpec[]>> = {
  trace: [],
  find: [
    { name: 'service', short: 's', value: 'S', multiple: true, help: 'repeatable; default: every service Jaeger knows' },
    { name: 'operation', short: 'o', value: 'OP', help: 'span name, e.g. "POST /orders"' },
    { name: 'attr', short: 'a', value: 'key=value', multiple: true, help: 'repeatable; a span of the trace carries it' },
    { name: 'errors', help: 'only traces with an error span' },
    { name: 'min-duration', value: 'D', help: 'at least this long: 250ms, 1.5s, 2m' },
    { name: 'since', value: '1h|ISO', fallback: DEFAULTS.findSince, help: 'from this long ago, or an ISO date' },
    { name: 'until', value: '5m|ISO', help: 'to this long ago, or an ISO date' },
    { name: 'limit', value: 'N', fallback: String(DEFAULTS.findLimit), help: 'at most N traces' },
    { name: 'sort', value: 'time|duration', fallback: 'time', help: 'newest or longest first' },
  ],
  alerts: [
    { name: 'service', short: 's', value: 'S', help: "only this service's alerts" },
    { name: 'examples', value: 'N', fallback: String(DEFAULTS.alertExamples), help: 'example trace ids per alert' },
  ],
  doctor: [
    { name: 'service-metrics', value: 'URL', help: "the service's Prometheus endpoint, e.g. http://127.0.0.1:9464/metrics" },
    { name: 'service-name', value: 'NAME', help: 'the service.name it should report' },
  ],
};

/** `-s, --service S`: how help and the README write a flag. */
export function flagSynopsis(spec: OptionSpec): string {
  const long = `--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

/** The specs in the shape node:util parseArgs takes. */
export function parseArgsOptions(specs: readonly OptionSpec[]): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of specs) {
    options[spec.name] = { type: spec.value ? 'string' : 'boolean', ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  return options;
}
