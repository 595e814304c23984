/**
 * SIGTERM and SIGINT in every arrangement of listeners: signal-exit v3 and v4
 * (installed by execa, write-file-atomic, loggers), the app's own handler that
 * exits, that only closes its server, or that ignores the signal, and mixes;
 * CommonJS apps under --require and ESM apps under --import.
 *
 * Each case runs the same fixture without and with the preload and expects the
 * same outcome (exit code or signal, or still running) and the same
 * signal-exit hooks; nothing is hard-coded. With the preload, the span of the
 * request made before the signal must have arrived: batching is slowed to 60 s,
 * so only the shutdown flush can deliver it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort, runFixture, startOtlpReceiver, type Fixture } from '@o4o/test-utils';
import { FIXTURES, PACKAGE_DIR } from './helpers';

const SCRIPTS = { cjs: join(FIXTURES, 'signal-app.js'), esm: join(FIXTURES, 'signal-app.mjs') } as const;
const SPAN = 'GET /users/:id';
const SHUTDOWN_TIMEOUT_MS = 2_000;
/**
 * How long a signalled process is watched before it counts as still running:
 * well past the shutdown deadline, after which the preload no longer holds
 * anything back. Not a measurement; a hang shows up as a wrong outcome.
 */
const WATCH_MILLIS = 2.5 * SHUTDOWN_TIMEOUT_MS;

type Signal = 'SIGTERM' | 'SIGINT';
type Outcome = { code: number | null; signal: NodeJS.Signals | null } | 'still running';

interface Arrangement {
  /** The ESM twin of the fixture, preloaded with --import. */
  readonly esm?: boolean;
  /** signal-exit majors whose hook is installed, e.g. `3,4`. */
  readonly signalExit?: string;
  readonly appHandler?: 'exit' | 'close' | 'ignore';
}

interface Observed {
  readonly outcome: Outcome;
  /** The fixture's lines about hooks that ran (signal-exit hooks, ignored signals). */
  readonly hooks: string[];
}

/** Resolves after `ms`; unref'd, so a watch that lost the race does not hold Jest open. */
const stillRunningAfter = (ms: number): Promise<'still running'> => new Promise((resolve) => setTimeout(() => resolve('still running'), ms).unref());

function arrangementEnv(a: Arrangement): Record<string, string | undefined> {
  return { SIGNAL_EXIT: a.signalExit, APP_HANDLER: a.appHandler };
}

/** The whole process, shutdown included, under the preload, exporting to `otlpEndpoint`. */
function startPreloaded(a: Arrangement, otlpEndpoint: string, metricsPort: number, env: Record<string, string> = {}): Promise<Fixture> {
  return runFixture({
    script: a.esm ? SCRIPTS.esm : SCRIPTS.cjs,
    cwd: PACKAGE_DIR,
    preload: { flag: a.esm ? '--import' : '--require', module: '@o4o/otel/register' },
    env: {
      ...arrangementEnv(a),
      OTEL_SERVICE_NAME: 'signal-app',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      // Both metric readers run, so neither the metrics server nor the push timer may hold the process.
      OTEL_METRICS_EXPORTER: 'prometheus,otlp',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      O4O_OTEL_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      ...env,
    },
  });
}

function startPlain(a: Arrangement): Promise<Fixture> {
  return runFixture({ script: a.esm ? SCRIPTS.esm : SCRIPTS.cjs, cwd: PACKAGE_DIR, env: arrangementEnv(a) });
}

/** Sends the signal(s) and watches what happens; a process left running is killed afterwards. */
async function observe(app: Fixture, send: () => Promise<void>): Promise<Observed> {
  try {
    await send();
    const outcome: Outcome = await Promise.race([app.exited(), stillRunningAfter(WATCH_MILLIS)]);
    // Still running means alive and serving, not slow to die.
    if (outcome === 'still running') expect((await fetch(`${app.baseUrl}/users/2`)).status).toBe(200);
    const hooks = app
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('signal-exit') || l.startsWith('ignored'));
    return { outcome, hooks };
  } finally {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
      await app.exited();
    }
  }
}

async function requestThenSignal(app: Fixture, signal: Signal): Promise<void> {
  expect((await fetch(`${app.baseUrl}/users/1`)).status).toBe(200);
  app.child.kill(signal);
}

const ARRANGEMENTS: Record<string, Arrangement> = {
  'no listener': {},
  'signal-exit v3': { signalExit: '3' },
  'signal-exit v4': { signalExit: '4' },
  'signal-exit v3 and v4': { signalExit: '3,4' },
  'app handler that exits': { appHandler: 'exit' },
  'app handler that only closes its server': { appHandler: 'close' },
  'app handler that ignores the signal': { appHandler: 'ignore' },
  'signal-exit v4 and an app handler that closes its server': { signalExit: '4', appHandler: 'close' },
  'signal-exit v3 and an app handler that exits': { signalExit: '3', appHandler: 'exit' },
  'signal-exit v4 and an app handler that ignores the signal': { signalExit: '4', appHandler: 'ignore' },
  'ESM: no listener': { esm: true },
  'ESM: signal-exit v3 and v4': { esm: true, signalExit: '3,4' },
  'ESM: app handler that only closes its server': { esm: true, appHandler: 'close' },
  'ESM: signal-exit v4 and an app handler that exits': { esm: true, signalExit: '4', appHandler: 'exit' },
};

const SIGINT_ARRANGEMENTS = ['no listener', 'signal-exit v3', 'signal-exit v4', 'app handler that exits', 'app handler that only closes its server', 'app handler that ignores the signal', 'ESM: signal-exit v3 and v4'];

const CASES: [Signal, string][] = [
  ...Object.keys(ARRANGEMENTS).map((name): [Signal, string] => ['SIGTERM', name]),
  ...SIGINT_ARRANGEMENTS.map((name): [Signal, string] => ['SIGINT', name]),
];

describe('a termination signal ends the process as it would without the preload, after the flush', () => {
  test.each(CASES)('%s, %s', async (signal, name) => {
    const arrangement = ARRANGEMENTS[name]!;
    const plain = await startPlain(arrangement);
    const expected = await observe(plain, () => requestThenSignal(plain, signal));

    const receiver = await startOtlpReceiver();
    try {
      const app = await startPreloaded(arrangement, receiver.url, await freePort());
      const actual = await observe(app, () => requestThenSignal(app, signal));
      expect(actual).toEqual(expected);
      await receiver.waitFor(() => receiver.spans.some((s) => s.name === SPAN), 5_000, `the ${SPAN} span`);
    } finally {
      await receiver.close();
    }
  });
});

/** A collector that accepts connections and never answers, so a flush hangs until its deadline. */
async function startStallingCollector(): Promise<{ url: string; connected: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let onConnect = (): void => {};
  const connected = new Promise<void>((resolve) => (onConnect = resolve));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    onConnect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connected,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a second signal while the flush hangs', () => {
  test.each(['no listener', 'signal-exit v4', 'app handler that exits'])('%s: ends the process at once, as the first one would without the preload', async (name) => {
    const arrangement = ARRANGEMENTS[name]!;
    const plain = await startPlain(arrangement);
    const expected = await observe(plain, async () => {
      await requestThenSignal(plain, 'SIGTERM');
      plain.child.kill('SIGTERM');
    });

    const collector = await startStallingCollector();
    try {
      // Deadlines far beyond the watch: only the second signal can end the process in time.
      const app = await startPreloaded(arrangement, collector.url, await freePort(), {
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_TIMEOUT: '600000',
        O4O_OTEL_SHUTDOWN_TIMEOUT_MS: '120000',
      });
      const actual = await observe(app, async () => {
        await requestThenSignal(app, 'SIGTERM');
        await collector.connected; // the flush has begun, so the first signal was handled
        app.child.kill('SIGTERM');
      });
      expect(actual).toEqual(expected);
    } finally {
      await collector.close();
    }
  });
});
