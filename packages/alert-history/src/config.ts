/** Configuration from the environment: one pure function, table-tested. */
export interface HistoryConfig {
  readonly host: string;
  readonly port: number;
  /** OTLP/HTTP base URL; `/v1/logs` is appended. */
  readonly otlpEndpoint: string;
  readonly serviceName: string;
  readonly exportTimeoutMillis: number;
}

export const DEFAULTS: HistoryConfig = Object.freeze({
  host: '127.0.0.1',
  port: 9097,
  otlpEndpoint: 'http://127.0.0.1:4318',
  serviceName: 'alert-history',
  exportTimeoutMillis: 10_000,
});

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}=${JSON.stringify(value)} is not a port (0-65535)`);
  return n;
}

export function parseConfig(env: Readonly<Record<string, string | undefined>>): HistoryConfig {
  return Object.freeze({
    host: env.ALERT_HISTORY_HOST || DEFAULTS.host,
    port: port('ALERT_HISTORY_PORT', env.ALERT_HISTORY_PORT, DEFAULTS.port),
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT?.replace(/\/v1\/logs\/?$/, '') || env.OTEL_EXPORTER_OTLP_ENDPOINT || DEFAULTS.otlpEndpoint,
    serviceName: env.OTEL_SERVICE_NAME || DEFAULTS.serviceName,
    exportTimeoutMillis: DEFAULTS.exportTimeoutMillis,
  });
}
