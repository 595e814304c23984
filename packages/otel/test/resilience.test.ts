/**
 * Telemetry never breaks the app: bad configuration, a dead collector, a taken
 * metrics port, worker threads.
 */
import { createServer, type Server } from 'node:net';
import { startApp, freePort } from './helpers';

describe('bad configuration', () => {
  test('each bad value gives one line naming variable, value and default; the app starts and is traced', async () => {
    const t = await startApp({
      script: 'express-app.js',
      env: {
        OTEL_EXPORTER_PROMETHEUS_PORT: '99999',
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: 'abc',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,nosuchlib',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cr3t-token',
      },
    });
    try {
      const lines = t.app.diagnostics();
      expect(lines).toEqual(
        expect.arrayContaining([
          '@o4o/otel: OTEL_EXPORTER_PROMETHEUS_PORT="99999" is not a port from 0 to 65535; using 9464',
          '@o4o/otel: OTEL_TRACES_SAMPLER_ARG="abc" is not a ratio from 0 to 1; using 1',
          expect.stringMatching(/^@o4o\/otel: OTEL_NODE_ENABLED_INSTRUMENTATIONS="http,express,nosuchlib" names unknown instrumentation "nosuchlib" .*; ignoring it$/),
        ]),
      );
      const startup = lines.filter((l) => l.startsWith('@o4o/otel: started'));
      expect(startup).toHaveLength(1);
      expect(startup[0]).toContain('instrumentations=http,express ');
      expect(startup[0]).toContain('authorization:[redacted]');
      expect(t.app.stderr()).not.toContain('s3cr3t-token');

      expect((await fetch(`${t.app.baseUrl}/users/5`)).status).toBe(200);
      await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.name === 'GET /users/:id'), 15_000, 'a request span');
    } finally {
      await t.stop();
    }
  });

  test('OTEL_SDK_DISABLED=true: one line, no telemetry, the app works', async () => {
    const t = await startApp({ script: 'express-app.js', env: { OTEL_SDK_DISABLED: 'true' } });
    try {
      expect(t.app.diagnostics()).toEqual(['@o4o/otel: OTEL_SDK_DISABLED=true: telemetry is off']);
      expect((await fetch(`${t.app.baseUrl}/users/6`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(t.receiver.spans).toHaveLength(0);
      await expect(fetch(t.metricsUrl)).rejects.toThrow();
    } finally {
      await t.stop();
    }
  });
});

describe('dead collector', () => {
  test('requests succeed, nothing is unhandled, and export failures are reported once per interval', async () => {
    const t = await startApp({ script: 'express-app.js', otlpEndpoint: 'http://127.0.0.1:9', env: { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_EXPORTER_OTLP_TIMEOUT: '300' } });
    try {
      const statuses: number[] = [];
      for (let round = 0; round < 20; round++) {
        const batch = await Promise.all(Array.from({ length: 10 }, (_v, i) => fetch(`${t.app.baseUrl}/users/${round * 10 + i}`)));
        statuses.push(...batch.map((r) => r.status));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(200);
      expect(t.app.child.exitCode).toBeNull();
      const failures = t.app.diagnostics().filter((l) => l.includes('export failed'));
      expect(failures.length).toBeGreaterThanOrEqual(1);
      expect(failures.length).toBeLessThanOrEqual(1);
      expect(t.app.stderr()).not.toMatch(/Unhandled|UnhandledPromiseRejection/i);
    } finally {
      await t.stop();
    }
  });
});

describe('metrics port already taken', () => {
  let blocker: Server;
  afterEach(() => new Promise<void>((r) => blocker.close(() => r())));

  test('one line says metrics are not served; the app and its traces carry on', async () => {
    const port = await freePort();
    blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const t = await startApp({ script: 'express-app.js', env: { OTEL_EXPORTER_PROMETHEUS_PORT: String(port) } });
    try {
      expect((await fetch(`${t.app.baseUrl}/users/7`)).status).toBe(200);
      await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.name === 'GET /users/:id'), 15_000, 'a request span');
      await new Promise((r) => setTimeout(r, 200));
      expect(t.app.diagnostics().filter((l) => l.includes(`could not listen on 127.0.0.1:${port}`))).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});

describe('worker threads', () => {
  test('a worker inheriting the preload starts nothing: one startup line, spans from the main thread only', async () => {
    const t = await startApp({ script: 'worker-app.js' });
    try {
      await fetch(`${t.app.baseUrl}/ping`);
      await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.name === 'GET /ping'), 15_000, 'the ping span');
      expect(t.app.diagnostics().filter((l) => l.includes('started'))).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});
