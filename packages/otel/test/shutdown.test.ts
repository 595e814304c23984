/**
 * Shutdown: what is buffered is delivered when the process is asked to stop,
 * the process still stops, and never hangs. Batching is slowed to 60 s here so
 * that only the shutdown flush can deliver the last span.
 */
import { startApp } from './helpers';

const SLOW_BATCHING = { OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

describe('shutdown', () => {
  test('SIGTERM with no app handler: flushes, then dies of SIGTERM as it would without us', async () => {
    const t = await startApp({ script: 'express-app.js', env: SLOW_BATCHING });
    try {
      expect((await fetch(`${t.app.baseUrl}/users/1`)).status).toBe(200);
      t.app.child.kill('SIGTERM');
      const { code, signal } = await t.app.exited();
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
      expect(t.receiver.spans.map((s) => s.name)).toContain('GET /users/:id');
    } finally {
      await t.stop();
    }
  });

  test('SIGINT with no app handler: same, by SIGINT', async () => {
    const t = await startApp({ script: 'express-app.js', env: SLOW_BATCHING });
    try {
      await fetch(`${t.app.baseUrl}/users/2`);
      t.app.child.kill('SIGINT');
      expect((await t.app.exited()).signal).toBe('SIGINT');
      expect(t.receiver.spans.map((s) => s.name)).toContain('GET /users/:id');
    } finally {
      await t.stop();
    }
  });

  test('SIGTERM with an app handler that closes its server and calls process.exit: the last request is still delivered', async () => {
    const t = await startApp({ script: 'express-app.js', env: { ...SLOW_BATCHING, APP_SIGTERM_HANDLER: 'exit' } });
    try {
      await fetch(`${t.app.baseUrl}/users/3`);
      t.app.child.kill('SIGTERM');
      expect(await t.app.exited()).toEqual({ code: 0, signal: null });
      expect(t.receiver.spans.map((s) => s.name)).toContain('GET /users/:id');
    } finally {
      await t.stop();
    }
  });

  test('SIGTERM with no collector listening: the process still ends, after the deadline at most', async () => {
    const t = await startApp({
      script: 'express-app.js',
      otlpEndpoint: 'http://127.0.0.1:9', // discard port: nothing listens
      env: { ...SLOW_BATCHING, O4O_OTEL_SHUTDOWN_TIMEOUT_MS: '1000' },
    });
    try {
      await fetch(`${t.app.baseUrl}/users/4`);
      t.app.child.kill('SIGTERM');
      expect((await t.app.exited()).signal).toBe('SIGTERM');
    } finally {
      await t.stop();
    }
  });

  test('the exported shutdown() delivers everything for apps that drain first', async () => {
    const t = await startApp({ script: 'explicit-shutdown.js', env: SLOW_BATCHING });
    try {
      await fetch(`${t.app.baseUrl}/orders/9`);
      t.app.child.kill('SIGUSR2');
      expect(await t.app.exited()).toEqual({ code: 0, signal: null });
      expect(t.app.stdout()).toContain('drained');
      expect(t.receiver.spans.map((s) => s.name)).toContain('GET /orders/:id');
    } finally {
      await t.stop();
    }
  });
});
