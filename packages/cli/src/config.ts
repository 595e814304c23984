/**
 * The command line and the environment, read in one pure function.
 *
 * `parseCliConfig(argv, env)` turns arguments and variables into a frozen,
 * typed configuration, or a usage error naming what was given and what was
 * expected. Nothing else in the package reads `process.argv` or `process.env`.
 * Endpoints: a flag wins over its variable, which wins over the local default:
 * the address stack/start.sh listens on, from the stack's address book
 * (stack/endpoints.env) and the port variables of `env` that override it.
 */
import { parseArgs } from 'node:util';
import { stackEndpoints } from '@o4o/backends';
import { parseDurationMicros, parseTimeBound, type TimeBound } from './duration';
import { COMMANDS, COMMAND_OPTIONS, COMMON_OPTIONS, DEFAULTS, flagSynopsis, parseArgsOptions, type CommandName, type OptionSpec } from './options';

export { COMMANDS, DEFAULTS } from './options';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Endpoints {
  readonly jaeger: string;
  readonly prometheus: string;
  readonly alertmanager: string;
  readonly search: string;
  /** Base URL of the collector's health_check extension. */
  readonly collectorHealth: string;
  /** Full URL of the collector's own Prometheus metrics. */
  readonly collectorMetrics: string;
  /** Grafana, for links only; no link when unset (there is no local Grafana). */
  readonly grafana: string | undefined;
}

export interface CommonOptions {
  readonly endpoints: Endpoints;
  readonly json: boolean;
  /** Deadline for each HTTP request. */
  readonly timeoutMillis: number;
  /** Log index prefix; the search covers `<index>*` (dated indices included). */
  readonly logsIndex: string;
}

export type SortOrder = 'time' | 'duration';

export interface FindQuery {
  readonly services: readonly string[];
  readonly operation: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly errorsOnly: boolean;
  readonly minDurationMicros: number | undefined;
  readonly since: TimeBound;
  readonly until: TimeBound | undefined;
  readonly limit: number;
  readonly sort: SortOrder;
}

export type Command =
  | { readonly name: 'trace'; readonly traceId: string }
  | { readonly name: 'find'; readonly query: FindQuery }
  | { readonly name: 'alerts'; readonly service: string | undefined; readonly examples: number }
  | { readonly name: 'doctor'; readonly serviceMetrics: string | undefined; readonly serviceName: string | undefined }
  | { readonly name: 'help'; readonly topic: string | undefined }
  | { readonly name: 'version' };

export interface CliConfig extends CommonOptions {
  readonly command: Command;
}

export type ParsedCli = { readonly ok: true; readonly config: CliConfig } | { readonly ok: false; readonly error: string };

/** The variable behind a common flag, from the option table. */
function envOf(flag: string): string {
  const variable = COMMON_OPTIONS.find((o) => o.name === flag)?.env;
  if (variable === undefined) throw new Error(`the option table has no variable for --${flag}`);
  return variable;
}

const ENDPOINT_FLAGS = Object.freeze({
  jaeger: 'jaeger',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  search: 'search',
  collectorHealth: 'collector',
  collectorMetrics: 'collector-metrics',
  grafana: 'grafana',
} as const);

/** Flag and variable of each endpoint. */
export const ENDPOINT_SOURCES = Object.freeze(
  Object.fromEntries(Object.entries(ENDPOINT_FLAGS).map(([key, flag]) => [key, Object.freeze({ flag, env: envOf(flag) })])) as Record<keyof typeof ENDPOINT_FLAGS, { readonly flag: string; readonly env: string }>,
);

class Invalid extends Error {}

/** Trims; empty counts as unset. */
function read(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function httpUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Invalid(`${source} must be an http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Invalid(`${source} must be an http(s) URL, got '${value}'`);
  return value.replace(/\/+$/, '');
}

function endpoint(values: Record<string, unknown>, env: Environment, key: keyof typeof ENDPOINT_SOURCES, fallback: string): string;
function endpoint(values: Record<string, unknown>, env: Environment, key: keyof typeof ENDPOINT_SOURCES, fallback: undefined): string | undefined;
function endpoint(values: Record<string, unknown>, env: Environment, key: keyof typeof ENDPOINT_SOURCES, fallback: string | undefined): string | undefined {
  const { flag, env: variable } = ENDPOINT_SOURCES[key];
  const fromFlag = values[flag] as string | undefined;
  if (fromFlag !== undefined) return httpUrl(fromFlag, `--${flag}`);
  const fromEnv = read(env, variable);
  if (fromEnv !== undefined) return httpUrl(fromEnv, variable);
  return fallback;
}

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new Invalid(`--${flag} must be a positive integer, got '${value}'`);
  return n;
}

/** A trace id as Jaeger and W3C trace context write it: 32 hex digits, not all zero. */
export function normaliseTraceId(text: string): string | undefined {
  const id = text.trim().toLowerCase();
  return /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id) ? id : undefined;
}

function parseAttributes(pairs: readonly string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Invalid(`--attr expects key=value (e.g. --attr order.id=123), got '${pair}'`);
    attributes[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return attributes;
}

function parseCommand(name: CommandName, values: Record<string, unknown>, positionals: readonly string[]): Command {
  const extra = name === 'trace' ? positionals.slice(1) : positionals;
  if (extra.length > 0) throw new Invalid(`unexpected argument '${extra[0]}' for ${name}`);
  switch (name) {
    case 'trace': {
      const given = positionals[0];
      if (given === undefined) throw new Invalid('trace needs a trace id: o4o-otel trace <32 hex digits>');
      const traceId = normaliseTraceId(given);
      if (!traceId) throw new Invalid(`malformed trace id '${given}': expected 32 hex digits, e.g. 4bf92f3577b34da6a3ce929d0e0e4736`);
      return { name, traceId };
    }
    case 'find': {
      const minDuration = values['min-duration'] as string | undefined;
      const minDurationMicros = minDuration === undefined ? undefined : parseDurationMicros(minDuration);
      if (minDuration !== undefined && minDurationMicros === undefined) throw new Invalid(`--min-duration expects a duration such as 250ms, 1.5s or 2m, got '${minDuration}'`);
      const sinceText = (values.since as string | undefined) ?? DEFAULTS.findSince;
      const since = parseTimeBound(sinceText);
      if (!since) throw new Invalid(`--since expects a duration ago (15m, 2h, 1d) or an ISO date, got '${sinceText}'`);
      const untilText = values.until as string | undefined;
      const until = untilText === undefined ? undefined : parseTimeBound(untilText);
      if (untilText !== undefined && !until) throw new Invalid(`--until expects a duration ago (15m, 2h) or an ISO date, got '${untilText}'`);
      const sort = (values.sort as string | undefined) ?? 'time';
      if (sort !== 'time' && sort !== 'duration') throw new Invalid(`--sort expects time or duration, got '${sort}'`);
      return {
        name,
        query: {
          services: (values.service as string[] | undefined) ?? [],
          operation: values.operation as string | undefined,
          attributes: parseAttributes((values.attr as string[] | undefined) ?? []),
          errorsOnly: values.errors === true,
          minDurationMicros,
          since,
          until,
          limit: positiveInteger(values.limit as string | undefined, 'limit', DEFAULTS.findLimit),
          sort,
        },
      };
    }
    case 'alerts':
      return {
        name,
        service: values.service as string | undefined,
        examples: positiveInteger(values.examples as string | undefined, 'examples', DEFAULTS.alertExamples),
      };
    case 'doctor': {
      const metrics = values['service-metrics'] as string | undefined;
      return {
        name,
        serviceMetrics: metrics === undefined ? undefined : httpUrl(metrics, '--service-metrics'),
        serviceName: values['service-name'] as string | undefined,
      };
    }
  }
}

function parseCommon(values: Record<string, unknown>, env: Environment): CommonOptions {
  const timeoutText = (values.timeout as string | undefined) ?? read(env, envOf('timeout'));
  const timeoutMicros = timeoutText === undefined ? DEFAULTS.timeoutMillis * 1_000 : parseDurationMicros(timeoutText);
  if (timeoutMicros === undefined || timeoutMicros < 1_000) throw new Invalid(`--timeout expects a duration such as 5s or 500ms, got '${timeoutText}'`);
  const local = stackEndpoints(env);
  return {
    endpoints: Object.freeze({
      jaeger: endpoint(values, env, 'jaeger', local.jaeger),
      prometheus: endpoint(values, env, 'prometheus', local.prometheus),
      alertmanager: endpoint(values, env, 'alertmanager', local.alertmanager),
      search: endpoint(values, env, 'search', local.search),
      collectorHealth: endpoint(values, env, 'collectorHealth', local.collectorHealth),
      collectorMetrics: endpoint(values, env, 'collectorMetrics', local.collectorMetrics),
      grafana: endpoint(values, env, 'grafana', undefined),
    }),
    json: values.json === true,
    timeoutMillis: Math.round(timeoutMicros / 1_000),
    logsIndex: (values.index as string | undefined) ?? read(env, envOf('index')) ?? DEFAULTS.logsIndex,
  };
}

function freeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') freeze(inner as object);
  return Object.freeze(value);
}

/** argv without `node` and the script: `['trace', '4bf9...', '--json']`. */
export function parseCliConfig(argv: readonly string[], env: Environment): ParsedCli {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
      return { ok: true, config: freeze({ ...parseCommon({}, env), command: { name: 'help', topic: first === 'help' ? rest[0] : undefined } }) };
    }
    if (first === '--version' || first === 'version') {
      return { ok: true, config: freeze({ ...parseCommon({}, env), command: { name: 'version' } }) };
    }
    if (!(COMMANDS as readonly string[]).includes(first)) {
      const hint = first.startsWith('-') ? 'put the command first' : `expected one of ${COMMANDS.join(', ')}`;
      throw new Invalid(`unknown command '${first}': ${hint} (o4o-otel --help)`);
    }
    const name = first as CommandName;
    const specs = [...COMMON_OPTIONS, ...COMMAND_OPTIONS[name]];
    // Not strict: the checks below say what is wrong in our words, from the tokens.
    const { values, positionals, tokens } = parseArgs({ args: [...rest], options: parseArgsOptions(specs), allowPositionals: true, strict: false, tokens: true });
    checkFlags(name, specs, tokens);
    const common = parseCommon(values, env);
    if (values.help === true) return { ok: true, config: freeze({ ...common, command: { name: 'help', topic: name } }) };
    return { ok: true, config: freeze({ ...common, command: parseCommand(name, values, positionals) }) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** Unknown flags, values missing or given where none is taken. */
function checkFlags(command: CommandName, specs: readonly OptionSpec[], tokens: readonly Token[]): void {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = byName.get(token.name);
    if (spec === undefined) throw new Invalid(`unknown flag '${token.rawName}' for ${command} (o4o-otel ${command} --help)`);
    const flag = `--${spec.name}`;
    if (spec.value === undefined) {
      if (token.value !== undefined) throw new Invalid(`${flag} takes no value, got '${token.value}' (o4o-otel ${command} --help)`);
    } else if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value.length > 1)) {
      throw new Invalid(`${flag} needs a value: ${flagSynopsis(spec)} (o4o-otel ${command} --help)`);
    }
  }
}
