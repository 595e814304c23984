/**
 * An OTLP/HTTP receiver on 127.0.0.1, port 0: what a collector would be for a
 * fixture test. Accepts protobuf and JSON bodies, gzip or not, and keeps every
 * span, log record and metric it was sent. It can play a collector in trouble:
 * down (`stop`/`start` on the same port) or answering an error status (`failWith`).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { decodeLogRecords, decodeMetrics, decodeSpans, type ReceivedLogRecord, type ReceivedMetric, type ReceivedSpan } from './otlp-decode';

export interface OtlpReceiver {
  /** Base URL to put in OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  readonly logRecords: ReceivedLogRecord[];
  readonly metrics: ReceivedMetric[];
  /** Content types seen, one per request, e.g. `application/x-protobuf`. */
  readonly contentTypes: string[];
  /** Headers of every request, to check that configured headers arrive. */
  readonly requestHeaders: IncomingMessage['headers'][];
  /** Requests answered with a failure status (see `failWith`), one entry per request. */
  readonly refused: { readonly path: string; readonly status: number }[];
  /**
   * Answers every following request with `status` (e.g. 503, 400) without keeping
   * what it carried; `undefined` accepts again.
   */
  failWith(status: number | undefined): void;
  /** Stops listening: connections are refused, as with a collector that is down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Resolves once `predicate` holds, polling; rejects after `timeoutMillis`. */
  waitFor(predicate: () => boolean, timeoutMillis?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface ReceiverOptions {
  /** Serve HTTPS with this PEM key and certificate. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export async function startOtlpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const logRecords: ReceivedLogRecord[] = [];
  const metrics: ReceivedMetric[] = [];
  const contentTypes: string[] = [];
  const requestHeaders: IncomingMessage['headers'][] = [];
  const refused: { path: string; status: number }[] = [];
  let failure: number | undefined;

  const handle: RequestListener = (req, res) => {
    void (async () => {
      try {
        if (failure !== undefined) {
          const status = failure;
          await readBody(req);
          refused.push({ path: req.url ?? '', status });
          res.writeHead(status, { 'content-type': 'text/plain' }).end(`refused with ${status} on request`);
          return;
        }
        let body = await readBody(req);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
        const json = type === 'application/json';
        contentTypes.push(type);
        requestHeaders.push(req.headers);
        if (req.url === '/v1/traces') spans.push(...decodeSpans(body, json));
        else if (req.url === '/v1/logs') logRecords.push(...decodeLogRecords(body, json));
        else if (req.url === '/v1/metrics') metrics.push(...decodeMetrics(body, json));
        else {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        res.end(json ? '{}' : Buffer.alloc(0));
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      }
    })();
  };
  const server: Server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no TCP address');
  const port = address.port;
  const closeServer = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    spans,
    logRecords,
    metrics,
    contentTypes,
    requestHeaders,
    refused,
    failWith: (status) => {
      failure = status;
    },
    stop: closeServer,
    start: () => new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    }),
    waitFor: async (predicate, timeoutMillis = 15_000, what = 'telemetry') => {
      const deadline = Date.now() + timeoutMillis;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: closeServer,
  };
}
