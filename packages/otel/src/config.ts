/**
 * Configuration, read in one pure function from an environment.
 *
 * Nothing else in the package reads `process.env`. Standard OpenTelemetry
 * variables are used wherever one exists; our own are prefixed `O4O_OTEL_`.
 * A bad value never throws: it yields one diagnostic naming the variable, the
 * value and the default used instead.
 */
import { INSTRUMENTATION_NAMES, DEFAULT_INSTRUMENTATIONS, type InstrumentationName } from './instrumentation-names';

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface OtlpTarget {
  /** Full URL of the signal's path, e.g. `http://localhost:4318/v1/traces`. */
  readonly url: string;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  /** `gzip` compresses each request body. */
  readonly compression: 'gzip' | 'none';
  /** PEM files: the CA that signs the collector's certificate, and this client's certificate and key for mTLS. */
  readonly tls: { readonly certificate?: string; readonly clientCertificate?: string; readonly clientKey?: string };
}

export interface BatchSettings {
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  /** Estimated bytes of the items queued (O4O_OTEL_BSP/BLRP_MAX_QUEUE_BYTES): large spans fill memory before the count does. */
  readonly maxQueueBytes: number;
}

export interface O4oConfig {
  readonly disabled: boolean;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly logLevel: LogLevel;
  readonly traces: {
    readonly exporters: readonly ('otlp' | 'console')[];
    readonly otlp: OtlpTarget;
    readonly sampler: SamplerName;
    readonly samplerRatio: number;
    readonly batch: BatchSettings;
    readonly attributeValueLengthLimit: number | undefined;
    readonly attributeCountLimit: number;
    readonly eventCountLimit: number;
    readonly linkCountLimit: number;
    readonly attributePerEventCountLimit: number;
    readonly attributePerLinkCountLimit: number;
    /**
     * `lean`: the distribution's own implementation of the API's tracer (tracer/);
     * `sdk`: the OpenTelemetry SDK's. `lean` falls back to `sdk` where it does not
     * apply (exporters other than OTLP/protobuf), see `effectiveTracer` below.
     */
    readonly tracer: TracerName;
    /** Query parameters whose values are removed from `url.query` / `url.full`, besides the built-in names (normalised). */
    readonly redactQueryParameters: readonly string[];
  };
  readonly metrics: {
    readonly exporters: readonly ('prometheus' | 'otlp' | 'console')[];
    readonly prometheus: { readonly host: string; readonly port: number };
    readonly otlp: OtlpTarget;
    readonly exportIntervalMillis: number;
    readonly exportTimeoutMillis: number;
    readonly cardinalityLimit: number;
  };
  readonly logs: {
    readonly exporters: readonly ('otlp' | 'console')[];
    readonly otlp: OtlpTarget;
    readonly batch: BatchSettings;
    readonly attributeValueLengthLimit: number;
    readonly attributeCountLimit: number;
    /** What log redaction removes besides the built-in sensitive keys and card numbers, and the work it may do per record. */
    readonly redaction: {
      readonly keys: readonly string[];
      readonly maskEmails: boolean;
      readonly limits: { readonly maxNodes: number; readonly maxChars: number };
    };
  };
  readonly health: {
    /** Bearer token that opens /health/detailed; undefined keeps it closed to everyone. */
    readonly detailedToken: string | undefined;
    /** How long `/health` answers from the last results before running the checks again; 0 runs them on every probe. */
    readonly cacheMillis: number;
  };
  readonly instrumentations: readonly InstrumentationName[];
  /** Inbound paths that are neither traced nor measured (health probes, scrapes). */
  readonly ignoredPaths: readonly string[];
  readonly shutdownTimeoutMillis: number;
  readonly business: {
    /**
     * O4O_OTEL_BUSINESS_MAX_AMOUNT: the largest money amount (major units) the
     * business API records; larger ones are rejected as `too_large`, since one
     * mistaken amount (cents as units, a test order) would skew revenue for good.
     */
    readonly maxAmount: number;
  };
  /**
   * O4O_OTEL_EXPORT_BUFFER_BYTES: serialized export requests kept per signal while
   * the collector is unreachable; beyond it the oldest are dropped.
   */
  readonly exportBufferBytes: number;
  /** O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS: how long a dying process waits to deliver what it holds; 0 turns the crash flush off. */
  readonly crashFlushTimeoutMillis: number;
  readonly database: {
    /**
     * O4O_OTEL_DB_CAPTURE_PARAMETERS: put bound query parameters on SQL spans and keep
     * database error messages. Off by default: the values are customers' data.
     */
    readonly captureParameters: boolean;
  };
}

export interface ParsedConfig {
  readonly config: O4oConfig;
  /** One line per rejected value: the variable, what was given, what is used. */
  readonly diagnostics: readonly string[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Every default in one place. */
export const DEFAULTS = Object.freeze({
  serviceName: 'unknown_service:node',
  // The specification says info, but upstream exporters log every retry at info:
  // a dead collector would fill the app's stderr. Warnings and errors are throttled.
  logLevel: 'warn' as LogLevel,
  otlpEndpoint: 'http://localhost:4318',
  otlpProtocol: 'http/protobuf' as OtlpProtocol,
  otlpTimeoutMillis: 10_000,
  tracesExporter: 'otlp',
  metricsExporter: 'prometheus',
  logsExporter: 'otlp',
  sampler: 'parentbased_always_on' as SamplerName,
  samplerRatio: 1,
  bsp: { scheduledDelayMillis: 5_000, exportTimeoutMillis: 30_000, maxQueueSize: 2_048, maxExportBatchSize: 512, maxQueueBytes: 8 * 1024 * 1024 },
  // Log lines come in synchronous bursts (a loop logging per item, a startup dump): 2,048 dropped
  // records of a 5,000-line burst. The byte bound, not the count, is what caps memory.
  blrp: { scheduledDelayMillis: 1_000, exportTimeoutMillis: 30_000, maxQueueSize: 8_192, maxExportBatchSize: 512, maxQueueBytes: 8 * 1024 * 1024 },
  // Per signal. At ~180 bytes a span, 32 MiB holds about 180,000 spans: minutes of a busy service's traffic.
  exportBufferBytes: 32 * 1024 * 1024,
  crashFlushTimeoutMillis: 2_000,
  prometheusHost: '127.0.0.1',
  prometheusPort: 9464,
  metricExportIntervalMillis: 60_000,
  metricExportTimeoutMillis: 30_000,
  cardinalityLimit: 2_000,
  ignoredPaths: ['/health', '/health/*', '/healthz', '/ready', '/live', '/metrics'],
  shutdownTimeoutMillis: 5_000,
  logMaskEmails: true,
  logRedactMaxValues: 10_000,
  logRedactMaxChars: 1_048_576,
  attributeCountLimit: 128,
  // The specification's defaults for events, links and their attributes.
  spanEventCountLimit: 128,
  spanLinkCountLimit: 128,
  tracer: 'lean' as TracerName,
  // The specification has no default; a logged request body should not become a megabyte attribute.
  logAttributeValueLengthLimit: 32_768,
  healthTokenMinLength: 16,
  healthCacheMillis: 1_000,
  dbCaptureParameters: false,
  businessMaxAmount: 1_000_000_000_000,
});

export type TracerName = 'lean' | 'sdk';
const TRACERS: readonly TracerName[] = ['lean', 'sdk'];

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const LOG_LEVELS: readonly LogLevel[] = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'];
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const COMPRESSIONS = ['gzip', 'none'] as const;

type Signal = 'traces' | 'metrics' | 'logs';
const SIGNAL_PATHS: Record<Signal, string> = { traces: 'v1/traces', metrics: 'v1/metrics', logs: 'v1/logs' };

/** Reads one variable, trimmed; empty counts as unset, as the specification says. */
function read(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

class Reader {
  // Shared variables (OTEL_EXPORTER_OTLP_*) are read once per signal: report each problem once.
  private readonly reported = new Set<string>();

  get diagnostics(): string[] {
    return [...this.reported];
  }

  report(line: string): void {
    this.reported.add(line);
  }

  constructor(private readonly env: Environment) {}

  raw(name: string): string | undefined {
    return read(this.env, name);
  }

  reject(name: string, value: string, expected: string, fallback: unknown): void {
    this.report(`${name}=${JSON.stringify(value)} is not ${expected}; using ${formatDefault(fallback)}`);
  }

  integer(name: string, fallback: number, min: number, max: number, expected = `an integer from ${min} to ${max}`): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.reject(name, value, expected, fallback);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    this.reject(name, value, 'true or false', fallback);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase() as T;
    if (allowed.includes(lower)) return lower;
    this.reject(name, value, `one of ${allowed.join(', ')}`, fallback);
    return fallback;
  }

  /** A comma list of exporter names; `none` alone turns the signal off. */
  exporters<T extends string>(name: string, allowed: readonly T[], fallback: string): T[] {
    const value = this.raw(name) ?? fallback;
    const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (names.includes('none')) {
      if (names.length > 1) this.reject(name, value, '"none" alone or a list without "none"', 'none');
      return [];
    }
    const known = names.filter((n): n is T => (allowed as readonly string[]).includes(n));
    const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
    if (unknown.length > 0) {
      const kept = known.length > 0 ? known : (fallback.split(',') as T[]);
      this.report(
        `${name}=${JSON.stringify(value)} names unknown exporter ${unknown.map((u) => JSON.stringify(u)).join(', ')} ` +
          `(known: ${[...allowed, 'none'].join(', ')}); using ${kept.join(',')}`,
      );
      return [...new Set(kept)];
    }
    return [...new Set(known)];
  }

  url(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
    } catch {
      // fall through to the diagnostic
    }
    this.report(`${name}=${JSON.stringify(value)} is not an http(s) URL; ignoring it`);
    return undefined;
  }

  /** `key=value` pairs separated by commas, values percent-decoded (W3C Baggage style). */
  keyValues(name: string): Record<string, string> {
    const value = this.raw(name);
    const result: Record<string, string> = {};
    if (value === undefined) return result;
    const bad: string[] = [];
    for (const part of value.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      const key = eq > 0 ? part.slice(0, eq).trim() : '';
      if (key === '') {
        bad.push(part.trim());
        continue;
      }
      try {
        result[key] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        bad.push(key);
      }
    }
    if (bad.length > 0) {
      // Never echo the value: header lists carry credentials.
      this.report(`${name} has ${bad.length} malformed entr${bad.length === 1 ? 'y' : 'ies'} (expected key=value,...); using the other ${Object.keys(result).length}`);
    }
    return result;
  }
}

function formatDefault(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  return typeof value === 'string' ? value : String(value);
}

function otlpTarget(r: Reader, signal: Signal): OtlpTarget {
  const upper = signal.toUpperCase();
  const signalUrl = r.url(`OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`);
  const base = r.url('OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULTS.otlpEndpoint;
  const url = signalUrl ?? `${base.replace(/\/+$/, '')}/${SIGNAL_PATHS[signal]}`;

  const protocolName = r.raw(`OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`) !== undefined ? `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL` : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = r.oneOf(protocolName, PROTOCOLS, DEFAULTS.otlpProtocol);
  const timeoutName = r.raw(`OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`) !== undefined ? `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT` : 'OTEL_EXPORTER_OTLP_TIMEOUT';
  const timeoutMillis = r.integer(timeoutName, DEFAULTS.otlpTimeoutMillis, 1, 600_000);
  const headers = { ...r.keyValues('OTEL_EXPORTER_OTLP_HEADERS'), ...r.keyValues(`OTEL_EXPORTER_OTLP_${upper}_HEADERS`) };
  // The signal's own variable wins over the shared one, as for every OTLP setting.
  const either = (suffix: string): string => (r.raw(`OTEL_EXPORTER_OTLP_${upper}_${suffix}`) !== undefined ? `OTEL_EXPORTER_OTLP_${upper}_${suffix}` : `OTEL_EXPORTER_OTLP_${suffix}`);
  const compression = r.oneOf(either('COMPRESSION'), COMPRESSIONS, 'none');
  const tls: { certificate?: string; clientCertificate?: string; clientKey?: string } = {};
  const certificate = r.raw(either('CERTIFICATE'));
  const clientCertificate = r.raw(either('CLIENT_CERTIFICATE'));
  const clientKey = r.raw(either('CLIENT_KEY'));
  if (certificate !== undefined) tls.certificate = certificate;
  if ((clientCertificate === undefined) !== (clientKey === undefined)) {
    r.report(`${either(clientKey === undefined ? 'CLIENT_CERTIFICATE' : 'CLIENT_KEY')} is set without ${either(clientKey === undefined ? 'CLIENT_KEY' : 'CLIENT_CERTIFICATE')}; sending no client certificate`);
  } else if (clientCertificate !== undefined && clientKey !== undefined) {
    tls.clientCertificate = clientCertificate;
    tls.clientKey = clientKey;
  }
  return Object.freeze({ url, protocol, headers: Object.freeze(headers), timeoutMillis, compression, tls: Object.freeze(tls) });
}

const MIN_BYTES = 1_024;
const MAX_BYTES = 1_073_741_824;

function batchSettings(r: Reader, prefix: 'OTEL_BSP' | 'OTEL_BLRP', defaults: BatchSettings): BatchSettings {
  const maxQueueSize = r.integer(`${prefix}_MAX_QUEUE_SIZE`, defaults.maxQueueSize, 1, 1_000_000);
  let maxExportBatchSize = r.integer(`${prefix}_MAX_EXPORT_BATCH_SIZE`, defaults.maxExportBatchSize, 1, 1_000_000);
  if (maxExportBatchSize > maxQueueSize) {
    r.report(`${prefix}_MAX_EXPORT_BATCH_SIZE=${maxExportBatchSize} exceeds ${prefix}_MAX_QUEUE_SIZE=${maxQueueSize}; using ${maxQueueSize}`);
    maxExportBatchSize = maxQueueSize;
  }
  return Object.freeze({
    scheduledDelayMillis: r.integer(`${prefix}_SCHEDULE_DELAY`, defaults.scheduledDelayMillis, 0, 3_600_000),
    exportTimeoutMillis: r.integer(`${prefix}_EXPORT_TIMEOUT`, defaults.exportTimeoutMillis, 1, 3_600_000),
    maxQueueSize,
    maxExportBatchSize,
    maxQueueBytes: r.integer(`O4O_${prefix}_MAX_QUEUE_BYTES`, defaults.maxQueueBytes, MIN_BYTES, MAX_BYTES),
  });
}

function samplerRatio(r: Reader, sampler: SamplerName): number {
  const value = r.raw('OTEL_TRACES_SAMPLER_ARG');
  if (value === undefined || !sampler.endsWith('traceidratio')) return DEFAULTS.samplerRatio;
  const ratio = Number(value);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    r.reject('OTEL_TRACES_SAMPLER_ARG', value, 'a ratio from 0 to 1', DEFAULTS.samplerRatio);
    return DEFAULTS.samplerRatio;
  }
  return ratio;
}

function instrumentationList(r: Reader, name: string): InstrumentationName[] | undefined {
  const value = r.raw(name);
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim().toLowerCase().replace(/^@opentelemetry\/instrumentation-/, '')).filter(Boolean);
  const unknown = names.filter((n) => !(INSTRUMENTATION_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    r.report(
      `${name}=${JSON.stringify(value)} names unknown instrumentation ${unknown.map((u) => JSON.stringify(u)).join(', ')} ` +
        `(known: ${INSTRUMENTATION_NAMES.join(', ')}); ignoring ${unknown.length === 1 ? 'it' : 'them'}`,
    );
  }
  return names.filter((n): n is InstrumentationName => (INSTRUMENTATION_NAMES as readonly string[]).includes(n));
}

function resourceAttributes(r: Reader): Record<string, string> {
  return r.keyValues('OTEL_RESOURCE_ATTRIBUTES');
}

function pathList(r: Reader, name: string, fallback: readonly string[]): string[] {
  const value = r.raw(name);
  if (value === undefined) return [...fallback];
  const paths = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = paths.filter((p) => !p.startsWith('/'));
  if (bad.length > 0) r.report(`${name}=${JSON.stringify(value)} has paths not starting with "/" (${bad.join(', ')}); ignoring those`);
  return paths.filter((p) => p.startsWith('/'));
}

/** A comma list of names, trimmed and lower-cased. */
function nameList(r: Reader, name: string): string[] {
  return [...new Set((r.raw(name) ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
}

/** A secret of a minimum length; a short one is refused, and its value is never echoed. */
function secretToken(r: Reader, name: string, minLength: number): string | undefined {
  const value = r.raw(name);
  if (value === undefined) return undefined;
  if (value.length < minLength) {
    r.report(`${name} is shorter than ${minLength} characters; ignoring it (the detailed health view stays closed)`);
    return undefined;
  }
  return value;
}

/** The tracer that runs: `lean` unless asked for `sdk` or an exporter needs the SDK's spans. */
export function effectiveTracer(config: O4oConfig): TracerName {
  const { traces } = config;
  if (traces.tracer === 'sdk') return 'sdk';
  return traces.exporters.every((name) => name === 'otlp' && traces.otlp.protocol === 'http/protobuf') ? 'lean' : 'sdk';
}

/** Parses an environment into a frozen configuration plus the diagnostics for rejected values. */
export function parseConfig(env: Environment): ParsedConfig {
  const r = new Reader(env);
  const attributes = resourceAttributes(r);
  const serviceName = r.raw('OTEL_SERVICE_NAME') ?? attributes['service.name'] ?? DEFAULTS.serviceName;

  const sampler = r.oneOf('OTEL_TRACES_SAMPLER', SAMPLERS, DEFAULTS.sampler);
  const enabled = instrumentationList(r, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS') ?? [...DEFAULT_INSTRUMENTATIONS];
  const disabled = instrumentationList(r, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [];
  const attributeLimit = r.raw('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') === undefined ? undefined : r.integer('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', Infinity, 1, 1_000_000);
  const spanAttributeLimit =
    r.raw('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') === undefined ? attributeLimit : r.integer('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', attributeLimit ?? Infinity, 1, 1_000_000);

  const config: O4oConfig = {
    disabled: r.boolean('OTEL_SDK_DISABLED', false),
    serviceName,
    resourceAttributes: Object.freeze({ ...attributes, 'service.name': serviceName }),
    logLevel: r.oneOf('OTEL_LOG_LEVEL', LOG_LEVELS, DEFAULTS.logLevel),
    traces: Object.freeze({
      exporters: Object.freeze(r.exporters('OTEL_TRACES_EXPORTER', ['otlp', 'console'] as const, DEFAULTS.tracesExporter)),
      otlp: otlpTarget(r, 'traces'),
      sampler,
      samplerRatio: samplerRatio(r, sampler),
      batch: batchSettings(r, 'OTEL_BSP', DEFAULTS.bsp),
      attributeValueLengthLimit: spanAttributeLimit === Infinity ? undefined : spanAttributeLimit,
      attributeCountLimit: r.integer('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', r.integer('OTEL_ATTRIBUTE_COUNT_LIMIT', DEFAULTS.attributeCountLimit, 1, 100_000), 1, 100_000),
      eventCountLimit: r.integer('OTEL_SPAN_EVENT_COUNT_LIMIT', DEFAULTS.spanEventCountLimit, 0, 100_000),
      linkCountLimit: r.integer('OTEL_SPAN_LINK_COUNT_LIMIT', DEFAULTS.spanLinkCountLimit, 0, 100_000),
      attributePerEventCountLimit: r.integer('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', DEFAULTS.attributeCountLimit, 0, 100_000),
      attributePerLinkCountLimit: r.integer('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', DEFAULTS.attributeCountLimit, 0, 100_000),
      tracer: r.oneOf('O4O_OTEL_TRACER', TRACERS, DEFAULTS.tracer),
      redactQueryParameters: Object.freeze(nameList(r, 'O4O_OTEL_REDACT_QUERY_PARAMS').map((n) => n.replace(/[-_\s]/g, ''))),
    }),
    metrics: Object.freeze({
      exporters: Object.freeze(r.exporters('OTEL_METRICS_EXPORTER', ['prometheus', 'otlp', 'console'] as const, DEFAULTS.metricsExporter)),
      prometheus: Object.freeze({
        host: r.raw('OTEL_EXPORTER_PROMETHEUS_HOST') ?? DEFAULTS.prometheusHost,
        port: r.integer('OTEL_EXPORTER_PROMETHEUS_PORT', DEFAULTS.prometheusPort, 0, 65_535, 'a port from 0 to 65535'),
      }),
      otlp: otlpTarget(r, 'metrics'),
      exportIntervalMillis: r.integer('OTEL_METRIC_EXPORT_INTERVAL', DEFAULTS.metricExportIntervalMillis, 100, 86_400_000),
      // The SDK refuses a timeout longer than the interval, so the interval bounds it.
      exportTimeoutMillis: Math.min(
        r.integer('OTEL_METRIC_EXPORT_TIMEOUT', DEFAULTS.metricExportTimeoutMillis, 1, 3_600_000),
        r.integer('OTEL_METRIC_EXPORT_INTERVAL', DEFAULTS.metricExportIntervalMillis, 100, 86_400_000),
      ),
      cardinalityLimit: r.integer('O4O_OTEL_METRIC_CARDINALITY_LIMIT', DEFAULTS.cardinalityLimit, 1, 1_000_000),
    }),
    logs: Object.freeze({
      exporters: Object.freeze(r.exporters('OTEL_LOGS_EXPORTER', ['otlp', 'console'] as const, DEFAULTS.logsExporter)),
      otlp: otlpTarget(r, 'logs'),
      batch: batchSettings(r, 'OTEL_BLRP', DEFAULTS.blrp),
      attributeValueLengthLimit: r.integer(
        'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT',
        attributeLimit === undefined || attributeLimit === Infinity ? DEFAULTS.logAttributeValueLengthLimit : attributeLimit,
        1,
        1_073_741_824,
      ),
      attributeCountLimit: r.integer('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', r.integer('OTEL_ATTRIBUTE_COUNT_LIMIT', DEFAULTS.attributeCountLimit, 1, 100_000), 1, 100_000),
      redaction: Object.freeze({
        keys: Object.freeze(nameList(r, 'O4O_OTEL_LOG_REDACT_KEYS')),
        maskEmails: r.boolean('O4O_OTEL_LOG_MASK_EMAILS', DEFAULTS.logMaskEmails),
        limits: Object.freeze({
          maxNodes: r.integer('O4O_OTEL_LOG_REDACT_MAX_VALUES', DEFAULTS.logRedactMaxValues, 10, 10_000_000),
          maxChars: r.integer('O4O_OTEL_LOG_REDACT_MAX_CHARS', DEFAULTS.logRedactMaxChars, 1_024, 1_073_741_824),
        }),
      }),
    }),
    health: Object.freeze({
      detailedToken: secretToken(r, 'O4O_OTEL_HEALTH_TOKEN', DEFAULTS.healthTokenMinLength),
      cacheMillis: r.integer('O4O_OTEL_HEALTH_CACHE_MS', DEFAULTS.healthCacheMillis, 0, 600_000),
    }),
    instrumentations: Object.freeze(enabled.filter((name) => !disabled.includes(name))),
    ignoredPaths: Object.freeze(pathList(r, 'O4O_OTEL_IGNORED_PATHS', DEFAULTS.ignoredPaths)),
    shutdownTimeoutMillis: r.integer('O4O_OTEL_SHUTDOWN_TIMEOUT_MS', DEFAULTS.shutdownTimeoutMillis, 100, 120_000),
    business: Object.freeze({ maxAmount: r.integer('O4O_OTEL_BUSINESS_MAX_AMOUNT', DEFAULTS.businessMaxAmount, 1, Number.MAX_SAFE_INTEGER) }),
    exportBufferBytes: r.integer('O4O_OTEL_EXPORT_BUFFER_BYTES', DEFAULTS.exportBufferBytes, MIN_BYTES, MAX_BYTES),
    crashFlushTimeoutMillis: r.integer('O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS', DEFAULTS.crashFlushTimeoutMillis, 0, 30_000),
    database: Object.freeze({ captureParameters: r.boolean('O4O_OTEL_DB_CAPTURE_PARAMETERS', DEFAULTS.dbCaptureParameters) }),
  };
  return Object.freeze({ config: Object.freeze(config), diagnostics: Object.freeze([...r.diagnostics]) });
}
