/**
 * The local stack's address book, stack/endpoints.env, read the way the stack
 * scripts read it (stack/lib.sh): KEY=value lines, and a non-empty variable of
 * the same name in the environment wins. A port changed there moves the stack
 * and every TypeScript consumer alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The repository's book when running from it (src/ or dist/); the copy the build puts beside dist/ otherwise. */
const BOOK_FILES = [join(__dirname, '..', '..', '..', 'stack', 'endpoints.env'), join(__dirname, 'stack-endpoints.env')];

export function addressBookFile(): string {
  const file = BOOK_FILES.find((f) => existsSync(f));
  if (file === undefined) throw new Error(`the stack's address book is missing: looked for ${BOOK_FILES.join(' and ')}`);
  return file;
}

const KEY = /^[A-Z][A-Z0-9_]*$/;

/** KEY=value lines; comments, blank lines and anything else are skipped. */
export function parseAddressBook(text: string): Record<string, string> {
  const book: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    if (KEY.test(key)) book[key] = line.slice(at + 1).replace(/\r$/, '');
  }
  return book;
}

/** The book's entries, each overridden by a non-empty environment variable of its name. */
export function readAddressBook(env: Environment = process.env, text: string = readFileSync(addressBookFile(), 'utf8')): Record<string, string> {
  const book = parseAddressBook(text);
  for (const key of Object.keys(book)) {
    const value = env[key];
    if (value !== undefined && value !== '') book[key] = value;
  }
  return book;
}

/** Where each service of the local stack answers. */
export interface StackEndpoints {
  readonly host: string;
  /** Elasticsearch's HTTP API. */
  readonly search: string;
  /** Jaeger's query API. */
  readonly jaeger: string;
  /** Jaeger's OTLP/gRPC receiver, host:port. */
  readonly jaegerOtlpGrpc: string;
  readonly prometheus: string;
  readonly alertmanager: string;
  readonly blackbox: string;
  /** The collector's OTLP/HTTP receiver, the base URL an SDK exports to. */
  readonly collectorOtlpHttp: string;
  /** The collector's OTLP/gRPC receiver, host:port. */
  readonly collectorOtlpGrpc: string;
  /** Base URL of the collector's health_check extension. */
  readonly collectorHealth: string;
  /** Full URL of the collector's own Prometheus metrics. */
  readonly collectorMetrics: string;
  readonly alertHistory: string;
}

export function stackEndpoints(env: Environment = process.env, text?: string): StackEndpoints {
  const book = readAddressBook(env, text);
  const entry = (key: string): string => {
    const value = book[key];
    if (value === undefined || value === '') throw new Error(`the stack's address book has no ${key}`);
    return value;
  };
  const host = entry('O4O_STACK_HOST');
  const address = (key: string): string => `${host}:${entry(key)}`;
  const http = (key: string): string => `http://${address(key)}`;
  return Object.freeze({
    host,
    search: http('O4O_SEARCH_PORT'),
    jaeger: http('O4O_JAEGER_QUERY_PORT'),
    jaegerOtlpGrpc: address('O4O_JAEGER_OTLP_GRPC_PORT'),
    prometheus: http('O4O_PROMETHEUS_PORT'),
    alertmanager: http('O4O_ALERTMANAGER_PORT'),
    blackbox: http('O4O_BLACKBOX_PORT'),
    collectorOtlpHttp: http('O4O_COLLECTOR_OTLP_HTTP_PORT'),
    collectorOtlpGrpc: address('O4O_COLLECTOR_OTLP_GRPC_PORT'),
    collectorHealth: http('O4O_COLLECTOR_HEALTH_PORT'),
    collectorMetrics: `${http('O4O_COLLECTOR_TELEMETRY_PORT')}/metrics`,
    alertHistory: http('O4O_ALERT_HISTORY_PORT'),
  });
}
