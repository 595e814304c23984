/**
 * Fake backends on 127.0.0.1 port 0 serving recorded-shape answers, and a runner
 * for the compiled CLI (dist/main.js) as a child process: the contract under
 * test is what a script sees, i.e. stdout, stderr and the exit code.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';

export const CLI = resolve(__dirname, '..', 'dist', 'main.js');

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
}

export interface FakeAnswer {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
}

export type FakeHandler = (request: FakeRequest) => FakeAnswer | undefined;

export interface FakeBackend {
  readonly url: string;
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => done(body));
  });
}

/** A backend whose answers come from `handler`; unknown paths get 404. */
export async function startFake(handler: FakeHandler): Promise<FakeBackend> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, body };
      requests.push(request);
      const answer = handler(request) ?? { status: 404, json: { error: 'not found' } };
      if (answer.hang) return;
      const text = answer.text ?? JSON.stringify(answer.json);
      res.writeHead(answer.status ?? 200, { 'content-type': answer.text !== undefined ? 'text/plain' : 'application/json' }).end(text);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A URL on which nothing listens: a port just released. */
export function closedUrl(): Promise<string> {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(`http://127.0.0.1:${port}`));
    });
  });
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/main.js ...args` with only the given O4O_ variables set. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (pnpm --filter @o4o/otel-cli build)`);
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('O4O_')) clean[key] = value;
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...clean, ...env }, cwd: join(__dirname, '..'), timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
