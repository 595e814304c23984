/**
 * The health registry and handler in-process, on a plain node:http server:
 * status rules, timeouts, access to the detailed view, routing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHealthHandler, type HealthHandlerOptions } from '../src/health/handler';
import { createHealthRegistry, shortReason } from '../src/health/registry';
import { redisCheck, storageCheck } from '../src/health/checks';
import type { HealthCheck } from '../src/health/types';

const ok = (name: string): HealthCheck => ({ name, run: () => undefined });
const failing = (name: string, critical = true): HealthCheck => ({ name, critical, run: () => Promise.reject(Object.assign(new Error(`connect ECONNREFUSED 10.1.2.3:6379`), { code: 'ECONNREFUSED' })) });

async function serve(checks: HealthCheck[], options: HealthHandlerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const registry = createHealthRegistry(checks, { metrics: false });
  const handler = createHealthHandler(registry, options);
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('health registry', () => {
  test('a check that never answers fails with "timeout" at its deadline', async () => {
    const registry = createHealthRegistry([{ name: 'slow', timeoutMillis: 30, run: () => new Promise(() => undefined) }], { metrics: false });
    const report = await registry.run();
    expect(report.status).toBe('unhealthy');
    expect(report.checks[0]).toMatchObject({ name: 'slow', status: 'unhealthy', error: 'timeout' });
  });

  test('a failing non-critical check degrades; a failing critical one makes it unhealthy', async () => {
    expect((await createHealthRegistry([ok('database'), failing('redis', false)], { metrics: false }).run()).status).toBe('degraded');
    expect((await createHealthRegistry([ok('database'), failing('redis')], { metrics: false }).run()).status).toBe('unhealthy');
  });

  test('check names are validated at the boundary', () => {
    expect(() => createHealthRegistry([{ name: 'Payment Provider', run: () => undefined }], { metrics: false })).toThrow(/lower-case name/);
  });

  test('short reasons carry codes, never hosts', () => {
    expect(shortReason(Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(shortReason(new TypeError('fetch failed to https://secret.internal'))).toBe('TypeError');
    expect(shortReason('weird')).toBe('error');
  });

  test('built-in checks: redis PING and writable storage (which leaves no file behind)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o4o-health-'));
    const report = await createHealthRegistry([redisCheck({ ping: async () => 'PONG' }), storageCheck(dir), storageCheck(join(dir, 'missing'), { name: 'uploads' })], { metrics: false }).run();
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['redis', 'healthy'],
      ['storage', 'healthy'],
      ['uploads', 'unhealthy'],
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('health handler', () => {
  test('GET /health: 200 when healthy, 503 when unhealthy, reasons without internals', async () => {
    const s = await serve([ok('database'), failing('redis')]);
    try {
      const { status, body } = await get(`${s.url}/health`);
      expect(status).toBe(503);
      expect(body.checks).toEqual([
        { name: 'database', status: 'healthy', critical: true, responseTimeMs: expect.any(Number) },
        { name: 'redis', status: 'unhealthy', critical: true, responseTimeMs: expect.any(Number), error: 'ECONNREFUSED' },
      ]);
      expect(JSON.stringify(body)).not.toContain('10.1.2.3');
    } finally {
      await s.close();
    }
  });

  test('liveness answers 200 without running a check while readiness reports the failing dependency', async () => {
    let runs = 0;
    const counted: HealthCheck = {
      name: 'payment',
      critical: true,
      run: () => {
        runs += 1;
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      },
    };
    const s = await serve([ok('database'), counted]);
    try {
      const live = await get(`${s.url}/health/live`);
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('alive');
      expect(runs).toBe(0);
      const ready = await get(`${s.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect((ready.body.checks as { name: string; status: string }[]).map((c) => [c.name, c.status])).toEqual([
        ['database', 'healthy'],
        ['payment', 'unhealthy'],
      ]);
      expect(runs).toBe(1);
    } finally {
      await s.close();
    }
  });

  test('works mounted below /health (Express strips the mount path) and at the root', async () => {
    const s = await serve([ok('database')], { detailedAccess: 'public' });
    try {
      expect((await get(`${s.url}/`)).status).toBe(200);
      expect((await get(`${s.url}/health/`)).status).toBe(200);
      expect((await get(`${s.url}/detailed`)).status).toBe(200);
      expect((await get(`${s.url}/elsewhere`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  test('/health/detailed is closed (403) while no token is configured', async () => {
    const s = await serve([ok('database')]);
    try {
      const { status, body } = await get(`${s.url}/health/detailed`);
      expect(status).toBe(403);
      expect(String(body.error)).toContain('O4O_OTEL_HEALTH_TOKEN');
    } finally {
      await s.close();
    }
  });

  test('/health/detailed with the token shows full error messages and the application', async () => {
    const token = 'a-token-long-enough-for-tests';
    const s = await serve([failing('redis', false)], { detailedToken: token, version: '2.0.0', environment: 'staging', business: () => ({ activeOrders: 5 }) });
    try {
      expect((await get(`${s.url}/health/detailed`)).status).toBe(401);
      const { status, body } = await get(`${s.url}/health/detailed`, { authorization: `Bearer ${token}` });
      expect(status).toBe(200);
      expect(body.status).toBe('degraded');
      expect((body.checks as { errorMessage?: string }[])[0]!.errorMessage).toContain('ECONNREFUSED');
      expect(body.application).toMatchObject({ version: '2.0.0', environment: 'staging', uptimeSeconds: expect.any(Number) });
      expect(body.business).toEqual({ activeOrders: 5 });
    } finally {
      await s.close();
    }
  });
});
