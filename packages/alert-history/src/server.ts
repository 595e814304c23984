/**
 * The webhook endpoint Alertmanager posts to: `POST /alerts` records every
 * alert of the notification and answers 200 once they are handed to the
 * logger; `GET /health` answers 200. A malformed body gets 400 with the reason,
 * so Alertmanager's log says what is wrong instead of retrying forever.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { historyRecords, InvalidPayloadError, parsePayload } from './records';
import type { HistoryRecord } from './types';

/** Alertmanager caps a notification at max_alerts; 1 MiB is far above any real one. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HistoryServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export interface HistoryServerOptions {
  readonly host: string;
  readonly port: number;
  /** Records one entry; must not throw (the logger's emit does not). */
  readonly record: (entry: HistoryRecord) => void;
}

class TooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new TooLargeError(`body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function startHistoryServer(options: HistoryServerOptions): Promise<HistoryServer> {
  const server = createServer((req, res) => {
    const answer = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
    };
    if (req.method === 'GET' && req.url === '/health') return answer(200, 'ok');
    if (req.method !== 'POST' || req.url !== '/alerts') return answer(404, 'POST Alertmanager webhooks to /alerts');
    readBody(req).then(
      (body) => {
        let entries: HistoryRecord[];
        try {
          entries = historyRecords(parsePayload(JSON.parse(body.toString('utf8'))));
        } catch (error) {
          const reason = error instanceof InvalidPayloadError || error instanceof SyntaxError ? error.message : 'unreadable body';
          return answer(400, reason);
        }
        for (const entry of entries) options.record(entry);
        answer(200, `recorded ${entries.length}`);
      },
      (error: unknown) => answer(error instanceof TooLargeError ? 413 : 400, (error as Error).message),
    );
  });
  // Alertmanager keeps connections alive; do not let a slow client hold a socket forever.
  server.requestTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${options.host}:${port}`,
        server,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
