/**
 * Crash-time flush: a process that dies of an uncaught exception, an unhandled
 * rejection or its own process.exit(3) still delivers its last request's span
 * and the error it logged just before, and ends exactly as it would without the
 * preload: same exit code, same stderr (Node's own printout), no app code after
 * process.exit. Batching is slowed to a minute so that only the crash flush can
 * deliver. Each case runs the fixture twice, with and without the preload, so
 * nothing about Node's behaviour is hard-coded.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { runFixture } from '@o4o/test-utils';
import { FIXTURES, PACKAGE_DIR, SERVER, startApp } from './helpers';

const SLOW_BATCHING = { OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_BLRP_SCHEDULE_DELAY: '60000', OTEL_METRICS_EXPORTER: 'none' };
const ERROR = 2; // OTLP STATUS_CODE_ERROR

interface Ending {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly stdout: string;
}

/** stderr as the app wrote it: our own lines removed, and Node's version line, which names the binary. */
function appStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.startsWith('@o4o/otel:') && !/^Node\.js v\d/.test(l))
    .join('\n');
}

async function withoutPreload(script: string, mode: string, path: string): Promise<Ending> {
  const app = await runFixture({ script: join(FIXTURES, script), cwd: PACKAGE_DIR, env: { CRASH_MODE: mode } });
  await fetch(`${app.baseUrl}${path}`).catch(() => undefined);
  const { code, signal } = await app.exited();
  return { code, signal, stderr: appStderr(app.stderr()), stdout: app.stdout() };
}

const cases: [string, string, boolean][] = [
  ['uncaught exception', 'throw', false],
  ['unhandled rejection', 'reject', false],
  ['process.exit(3)', 'exit', false],
  ['uncaught exception (ESM)', 'throw', true],
  ['unhandled rejection (ESM)', 'reject', true],
  ['process.exit(3) (ESM)', 'exit', true],
];

describe('crash-time flush', () => {
  test.each(cases)('%s: the last span and error log are delivered; exit code and stderr as without the preload', async (_name, mode, esm) => {
    const script = esm ? 'crash-app.mjs' : 'crash-app.js';
    const expected = await withoutPreload(script, mode, '/orders/7');
    const t = await startApp({ script, esm, env: { ...SLOW_BATCHING, CRASH_MODE: mode } });
    try {
      expect((await fetch(`${t.app.baseUrl}/orders/7`)).status).toBe(200);
      const { code, signal } = await t.app.exited();
      expect({ code, signal }).toEqual({ code: expected.code, signal: expected.signal });
      expect(code).not.toBe(0);
      expect(appStderr(t.app.stderr())).toBe(expected.stderr);
      expect(t.app.stdout()).not.toContain('app code ran after process.exit');
      expect(expected.stdout).not.toContain('app code ran after process.exit');

      const spans = t.receiver.spans.filter((s) => s.name === 'GET /orders/:id');
      expect(spans).toHaveLength(1);
      const logs = t.receiver.logRecords.filter((l) => l.body === 'Order failed before the crash');
      expect(logs).toHaveLength(1);
      expect(logs[0]!.traceId).toBe(spans[0]!.traceId);
      expect(t.app.diagnostics().some((l) => /process ending \(.*\): delivered 2 of 2 export requests in \d+ ms$/.test(l))).toBe(true);
    } finally {
      await t.stop();
    }
  });

  test('an exception thrown while a request is served ends its server span with the error', async () => {
    const expected = await withoutPreload('crash-app.js', 'none', '/crash-in-request');
    const t = await startApp({ script: 'crash-app.js', env: { ...SLOW_BATCHING } });
    try {
      await fetch(`${t.app.baseUrl}/crash-in-request`).catch(() => undefined);
      const { code } = await t.app.exited();
      expect(code).toBe(expected.code);
      expect(appStderr(t.app.stderr())).toBe(expected.stderr);
      // Named by method only: the route name is given when the response ends, and there was none.
      const servers = t.receiver.spans.filter((s) => s.kind === SERVER);
      expect(servers).toHaveLength(1);
      const span = servers[0];
      expect(span?.status.code).toBe(ERROR);
      expect(span?.status.message).toBe('boom inside the request');
      const exception = span?.events.find((e) => e.name === 'exception');
      expect(exception?.attributes['exception.message']).toBe('boom inside the request');
    } finally {
      await t.stop();
    }
  });

  describe('a collector that accepts connections but never answers', () => {
    let blackhole: Server;
    const sockets: Socket[] = [];
    afterEach(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => blackhole.close(() => r()));
    });

    test('O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS: the process still ends, with the same code and stderr', async () => {
      blackhole = createServer((s) => sockets.push(s)).listen(0, '127.0.0.1');
      await new Promise((r) => blackhole.once('listening', r));
      const port = (blackhole.address() as { port: number }).port;
      const expected = await withoutPreload('crash-app.js', 'throw', '/orders/8');
      const t = await startApp({
        script: 'crash-app.js',
        otlpEndpoint: `http://127.0.0.1:${port}`,
        env: { ...SLOW_BATCHING, CRASH_MODE: 'throw', O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS: '500' },
      });
      try {
        await fetch(`${t.app.baseUrl}/orders/8`);
        const { code } = await t.app.exited();
        expect(code).toBe(expected.code);
        expect(appStderr(t.app.stderr())).toBe(expected.stderr);
        expect(t.app.diagnostics().some((l) => l.includes('delivered 0 of 2') && l.includes('O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS'))).toBe(true);
      } finally {
        await t.stop();
      }
    });
  });
});
