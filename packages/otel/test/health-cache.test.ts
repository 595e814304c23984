/**
 * O4O_OTEL_HEALTH_CACHE_MS: /health answers from results younger than the
 * interval, and concurrent probes share one run, so a flood of probes does not
 * become a flood of database queries. In-process: health code is plain code.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealthHandler } from '../src/health/handler';
import { createHealthRegistry, type HealthRegistryOptions } from '../src/health/registry';
import type { HealthCheck } from '../src/health/types';

/**
 * A database check that counts its runs. While `held`, a run waits for
 * `release()`, so probes sent meanwhile are certainly concurrent with it.
 */
function countingCheck(): HealthCheck & { runs: number; failing: boolean; held: boolean; release(): void } {
  let waiting: (() => void)[] = [];
  const check = {
    name: 'database',
    runs: 0,
    failing: false,
    held: false,
    release: (): void => {
      check.held = false;
      for (const go of waiting) go();
      waiting = [];
    },
    run: async (): Promise<void> => {
      check.runs += 1;
      if (check.held) await new Promise<void>((resolve) => waiting.push(resolve));
      if (check.failing) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    },
  };
  return check;
}

interface Served {
  probe(): Promise<number>;
  /** Sends `n` probes at once and releases the check only after all of them reached the handler. */
  concurrentProbes(check: ReturnType<typeof countingCheck>, n: number): Promise<number[]>;
  close(): Promise<void>;
}

async function serve(check: HealthCheck, options: HealthRegistryOptions): Promise<Served> {
  const handler = createHealthHandler(createHealthRegistry([check], { metrics: false, ...options }));
  let arrived = 0;
  const server: Server = createServer((req, res) => {
    arrived += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  const probe = async (): Promise<number> => {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  };
  return {
    probe,
    concurrentProbes: async (c, n) => {
      c.held = true;
      const target = arrived + n;
      const statuses = Promise.all(Array.from({ length: n }, probe));
      while (arrived < target) await sleep(5);
      c.release();
      return statuses;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('O4O_OTEL_HEALTH_CACHE_MS', () => {
  test('concurrent and repeated probes within the interval run the check once', async () => {
    const check = countingCheck();
    const s = await serve(check, { cacheMillis: 60_000 });
    try {
      const concurrent = await s.concurrentProbes(check, 20);
      const repeated: number[] = [];
      for (let i = 0; i < 5; i += 1) repeated.push(await s.probe());
      expect([...concurrent, ...repeated].every((status) => status === 200)).toBe(true);
      expect(check.runs).toBe(1);
    } finally {
      await s.close();
    }
  });

  test('after the interval the check runs again, and the probe sees the new state', async () => {
    const check = countingCheck();
    const s = await serve(check, { cacheMillis: 30 });
    try {
      expect(await s.probe()).toBe(200);
      check.failing = true;
      await sleep(60);
      expect(await s.probe()).toBe(503);
      expect(check.runs).toBe(2);
    } finally {
      await s.close();
    }
  });

  test('0 turns the cache off: every probe runs the check, concurrent ones still share a run', async () => {
    const check = countingCheck();
    const s = await serve(check, { cacheMillis: 0 });
    try {
      for (let i = 0; i < 3; i += 1) await s.probe();
      expect(check.runs).toBe(3);
      await s.concurrentProbes(check, 3);
      expect(check.runs).toBe(4);
    } finally {
      await s.close();
    }
  });

  test('without the preload the registry caches for 1000 ms by default', async () => {
    const check = countingCheck();
    const registry = createHealthRegistry([check], { metrics: false });
    await registry.current();
    await registry.current();
    expect(check.runs).toBe(1);
  });

  test('adding a check invalidates the cached results', async () => {
    const check = countingCheck();
    const registry = createHealthRegistry([check], { metrics: false, cacheMillis: 60_000 });
    await registry.current();
    registry.add({ name: 'redis', run: () => undefined });
    const report = await registry.current();
    expect(report.checks.map((c) => c.name)).toEqual(['database', 'redis']);
    expect(check.runs).toBe(2);
  });
});
