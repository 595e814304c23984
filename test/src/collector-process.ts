/**
 * Runs the o4o-otelcol binary itself with chosen config layers, on free loopback
 * ports of its own (never the local stack's), for tests of one collector or a
 * small fleet: start, wait for its health check, kill -9, restart on the same
 * ports and queue directory, stop. Also makes the certificates and token such a
 * collector needs in production (openssl), and sends raw OTLP/HTTP requests.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { freePort } from '@o4o/test-utils';
import { logsRequest, str, tracesRequest } from './otlp-json';

export const COLLECTOR_DIR = resolve(__dirname, '../../collector');

let binaryPath: string | undefined;
/** The distribution built from collector/manifest.yaml (cached by build.sh). */
export function collectorBinary(): string {
  binaryPath ??= execFileSync('bash', [join(COLLECTOR_DIR, 'build.sh'), '--print-path'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    .trim()
    .split('\n')
    .pop()!;
  return binaryPath;
}

/** A config layer: `config/<name>` or, with a `test:` prefix, `test/config/<name>`. */
export function layerPath(layer: string): string {
  return layer.startsWith('test:') ? join(COLLECTOR_DIR, 'test/config', layer.slice(5)) : join(COLLECTOR_DIR, 'config', layer);
}

export const GATEWAY_LAYERS = ['base.yaml', 'production.yaml', 'test:sinks.yaml'] as const;

export interface TestPki {
  readonly caFile: string;
  readonly ca: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly tokenFile: string;
  readonly token: string;
}

/** A throwaway CA, a server certificate for 127.0.0.1/localhost signed by it, and a token file. */
export function makePki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '2', '-subj', '/CN=o4o test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('tls.key'), '-out', at('tls.csr'), '-subj', '/CN=localhost');
  writeFileSync(at('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', at('tls.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('tls.crt'), '-days', '2', '-extfile', at('san.ext'));
  const token = `t-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(at('token'), `${token} # ingest token for tests\n`, { mode: 0o600 });
  return { caFile: at('ca.crt'), ca: readFileSync(at('ca.crt'), 'utf8'), certFile: at('tls.crt'), keyFile: at('tls.key'), tokenFile: at('token'), token };
}

export interface CollectorPorts {
  readonly grpc: number;
  readonly http: number;
  readonly health: number;
  readonly telemetry: number;
}

export interface RunningCollector {
  readonly ports: CollectorPorts;
  /** https://127.0.0.1:<http port> */
  readonly otlpHttpUrl: string;
  readonly queueDir: string;
  /** Everything the collector logged, across restarts. */
  log(): string;
  /** SIGKILL: no shutdown, no flush, the way a node or OOM kill ends it. */
  kill9(): Promise<void>;
  /** Starts it again on the same ports, layers and queue directory. */
  restart(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

export interface CollectorOptions {
  readonly layers: readonly string[];
  readonly queueDir: string;
  readonly pki: TestPki;
  /** More variables (sink URL, sampling settings, ...). */
  readonly env?: Record<string, string>;
}

export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const ports: CollectorPorts = { grpc: await freePort(), http: await freePort(), health: await freePort(), telemetry: await freePort() };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    O4O_OTLP_GRPC_ENDPOINT: `127.0.0.1:${ports.grpc}`,
    O4O_OTLP_HTTP_ENDPOINT: `127.0.0.1:${ports.http}`,
    O4O_HEALTH_CHECK_ENDPOINT: `127.0.0.1:${ports.health}`,
    O4O_COLLECTOR_TELEMETRY_HOST: '127.0.0.1',
    O4O_COLLECTOR_TELEMETRY_PORT: String(ports.telemetry),
    O4O_QUEUE_DIR: options.queueDir,
    O4O_TLS_CERT_FILE: options.pki.certFile,
    O4O_TLS_KEY_FILE: options.pki.keyFile,
    O4O_TLS_CA_FILE: options.pki.caFile,
    O4O_INGEST_TOKEN_FILE: options.pki.tokenFile,
    O4O_OTLP_CORS_ORIGIN: 'https://shop.example.com',
    O4O_HOST_ROOT: '/',
    ...options.env,
  };
  const args = options.layers.map((l) => `--config=${layerPath(l)}`);
  let output = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const proc = spawn(collectorBinary(), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`collector exited during start:\n${output.slice(-3000)}`);
      const ready = await new Promise<boolean>((r) => {
        const req = httpRequest({ host: '127.0.0.1', port: ports.health, path: '/', timeout: 1000 }, (res) => {
          res.resume();
          r(res.statusCode === 200);
        });
        req.on('error', () => r(false));
        req.on('timeout', () => req.destroy());
        req.end();
      });
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`collector not healthy within 30 s:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    ports,
    otlpHttpUrl: `https://127.0.0.1:${ports.http}`,
    queueDir: options.queueDir,
    log: () => output,
    kill9: () => end('SIGKILL'),
    restart: launch,
    stop: () => end('SIGTERM'),
  };
}

export interface OtlpPostOptions {
  /** Sent as `Authorization: Bearer <token>` when given. */
  readonly token?: string;
  /** PEM CA to trust (https:// URLs). */
  readonly ca?: string;
  readonly agent?: Agent;
}

/**
 * POSTs an OTLP/JSON body and resolves with the HTTP status, or rejects on a
 * transport error (refused, reset, TLS failure).
 */
export function postOtlp(url: string, body: unknown, options: OtlpPostOptions = {}): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': payload.length };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolvePost, reject) => {
    const onResponse = (res: import('node:http').IncomingMessage): void => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolvePost({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    };
    const common = { method: 'POST', host: target.hostname, port: Number(target.port), path: target.pathname, headers, timeout: 10_000 };
    const req = target.protocol === 'https:' ? httpsRequest({ ...common, ca: options.ca, agent: options.agent }, onResponse) : httpRequest(common, onResponse);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

const hex = (bytes: number): string => Array.from({ length: bytes }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join('');
export const newTraceId = (): string => hex(16);
export const newSpanId = (): string => hex(8);

export interface SpanSpec {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly startNanos: bigint;
  readonly durationMillis: number;
  readonly error?: boolean;
}

/** One OTLP/JSON trace export request for `service`. */
export function tracesBody(service: string, spans: readonly SpanSpec[]): unknown {
  return tracesRequest(
    service,
    spans.map((s) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId ?? '',
      name: s.name,
      kind: s.parentSpanId ? 1 : 2,
      startTimeUnixNano: String(s.startNanos),
      endTimeUnixNano: String(s.startNanos + BigInt(Math.round(s.durationMillis * 1e6))),
      status: s.error ? { code: 2, message: 'failed' } : {},
    })),
  );
}

/** One OTLP/JSON log export request: INFO records, each carrying its `test.id`. */
export function logsBody(service: string, ids: readonly string[]): unknown {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  return logsRequest(
    service,
    ids.map((id) => ({ timeUnixNano: now, severityNumber: 9, severityText: 'INFO', body: { stringValue: `order accepted ${id}` }, attributes: [str('test.id', id)] })),
  );
}
