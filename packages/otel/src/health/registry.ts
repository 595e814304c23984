/**
 * A registry of health checks: runs them concurrently, each within its timeout,
 * and publishes every result as a metric (`o4o.health.check.status` 1/0 and
 * `o4o.health.check.duration`), so alert rules see "payment provider down"
 * even when no one calls `/health`.
 */
import { context, type ObservableGauge } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { getActiveTelemetry } from '../active';
import { DEFAULTS } from '../config';
import { businessMeter, internalProblem } from '../business/instruments';
import { INSTRUMENTS } from '../telemetry-registry';
import type { CheckResult, HealthCheck, HealthReport, OverallStatus } from './types';

export interface HealthRegistryOptions {
  /**
   * A metrics collection reuses the last results when they are younger than
   * this; otherwise it runs the checks itself.
   * @default 10000
   */
  readonly metricsMaxAgeMillis?: number;
  /**
   * Publish check results as metrics.
   * @default true
   */
  readonly metrics?: boolean;
  /**
   * `current()` (and so `/health`) answers from the last results while they are
   * younger than this, so a flood of probes does not become a flood of database
   * queries; 0 runs the checks for every probe.
   * @default O4O_OTEL_HEALTH_CACHE_MS with the preload, otherwise 1000
   */
  readonly cacheMillis?: number;
}

export interface HealthRegistry {
  /** Adds a check; a check of the same name is replaced. */
  add(check: HealthCheck): void;
  /** Runs every check now, concurrently (joining a run already under way). Never rejects. */
  run(): Promise<HealthReport>;
  /**
   * The last results while younger than `cacheMillis`, otherwise a run (joining
   * one under way): what `/health` serves. Never rejects.
   */
  current(): Promise<HealthReport>;
  /** The last report, if any run completed. */
  last(): HealthReport | undefined;
  /** Stops publishing metrics. */
  stop(): void;
}

export const HEALTH_DEFAULTS = Object.freeze({ timeoutMillis: 2_000, metricsMaxAgeMillis: 10_000 });

const CHECK_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

/** A short reason without hosts, paths or query text: safe for anonymous callers. */
export function shortReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code)) return code;
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name)) return name;
  return 'error';
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}...` : message;
}

class TimeoutError extends Error {
  readonly code = 'timeout';
  constructor(millis: number) {
    super(`no answer within ${millis} ms`);
  }
}

/** Runs one check within its timeout; never rejects. Tracing is suppressed: probes are not user traffic. */
export async function runCheck(check: HealthCheck): Promise<CheckResult> {
  const timeoutMillis = check.timeoutMillis ?? HEALTH_DEFAULTS.timeoutMillis;
  const critical = check.critical ?? true;
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = context.with(suppressTracing(context.active()), async () => check.run(controller.signal));
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TimeoutError(timeoutMillis));
      }, timeoutMillis);
    });
    // A check still running after its deadline must not reject unobserved later.
    work.catch(() => undefined);
    const details = await Promise.race([work, deadline]);
    return { name: check.name, status: 'healthy', critical, responseTimeMs: Math.round(performance.now() - started), ...(details ? { details } : {}) };
  } catch (error) {
    return {
      name: check.name,
      status: 'unhealthy',
      critical,
      responseTimeMs: Math.round(performance.now() - started),
      error: shortReason(error),
      errorMessage: messageOf(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

export function overallStatus(results: readonly CheckResult[]): OverallStatus {
  if (results.some((r) => r.status === 'unhealthy' && r.critical)) return 'unhealthy';
  if (results.some((r) => r.status === 'unhealthy')) return 'degraded';
  return 'healthy';
}

export function createHealthRegistry(checks: readonly HealthCheck[] = [], options: HealthRegistryOptions = {}): HealthRegistry {
  const registered = new Map<string, HealthCheck>();
  let running: Promise<HealthReport> | undefined;
  let lastReport: HealthReport | undefined;
  let lastAt = -Infinity;

  const add = (check: HealthCheck): void => {
    if (typeof check?.name !== 'string' || !CHECK_NAME.test(check.name) || typeof check.run !== 'function') {
      throw new TypeError(`a health check needs a lower-case name matching ${CHECK_NAME} and a run function; got name ${JSON.stringify(check?.name)}`);
    }
    registered.set(check.name, check);
    // The cached results do not cover the new check.
    lastAt = -Infinity;
  };
  for (const check of checks) add(check);

  const run = (): Promise<HealthReport> => {
    running ??= (async () => {
      try {
        const results = await Promise.all([...registered.values()].map(runCheck));
        const report: HealthReport = { status: overallStatus(results), timestamp: new Date().toISOString(), checks: results };
        lastReport = report;
        lastAt = performance.now();
        return report;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  /** The last results when younger than `maxAgeMillis`, otherwise a run. */
  const within = (maxAgeMillis: number): Promise<HealthReport> =>
    lastReport !== undefined && performance.now() - lastAt < maxAgeMillis ? Promise.resolve(lastReport) : run();

  // Read per call: the preload may start after the registry was created.
  const cacheMillis = (): number => options.cacheMillis ?? getActiveTelemetry()?.config.health.cacheMillis ?? DEFAULTS.healthCacheMillis;

  let stop = (): void => {};
  if (options.metrics !== false) {
    try {
      const maxAge = options.metricsMaxAgeMillis ?? HEALTH_DEFAULTS.metricsMaxAgeMillis;
      const meter = businessMeter();
      const s = INSTRUMENTS.healthCheckStatus;
      const d = INSTRUMENTS.healthCheckDuration;
      const status: ObservableGauge = meter.createObservableGauge(s.name, { unit: s.unit, description: s.description });
      const duration: ObservableGauge = meter.createObservableGauge(d.name, { unit: d.unit, description: d.description });
      const callback = async (result: { observe(gauge: ObservableGauge, value: number, attributes?: Record<string, string>): void }): Promise<void> => {
        const report = await within(maxAge);
        for (const check of report.checks) {
          result.observe(status, check.status === 'healthy' ? 1 : 0, { check: check.name });
          result.observe(duration, check.responseTimeMs / 1000, { check: check.name });
        }
      };
      meter.addBatchObservableCallback(callback, [status, duration]);
      stop = () => meter.removeBatchObservableCallback(callback, [status, duration]);
    } catch (error) {
      internalProblem(`health metrics could not be registered (${messageOf(error)})`);
    }
  }

  return { add, run, current: () => within(cacheMillis()), last: () => lastReport, stop: () => stop() };
}
