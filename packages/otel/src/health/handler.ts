/**
 * The health endpoints as one `(req, res, next)` handler, mountable on Express
 * (`app.use('/health', handler)`) or called from a plain `http` server; this
 * package does not load Express.
 *
 * - `GET /health/live`: liveness. 200 whenever the process answers, without
 *   running any check: a dependency outage must not get the process restarted
 *   or paged as "service down".
 * - `GET /health` and `GET /health/ready`: readiness, overall status, and per check its status, response time and
 *   a short error reason; HTTP 200 when healthy or degraded, 503 when a
 *   critical check fails. No internals: reasons are codes like `ECONNREFUSED`.
 * - `GET /health/detailed`: adds full error messages, version, environment,
 *   uptime, memory, CPU, database pool and business figures. Closed unless the
 *   caller sends `Authorization: Bearer <token>` (O4O_OTEL_HEALTH_TOKEN or the
 *   `detailedToken` option), or the service opts into `detailedAccess: 'public'`.
 *
 * Both serve the registry's `current()` results: probes within
 * O4O_OTEL_HEALTH_CACHE_MS of the last run share it, concurrent ones share one run.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getActiveTelemetry } from '../active';
import type { BusinessFigures } from '../business/observed-gauges';
import type { HealthRegistry } from './registry';
import type { CheckResult, HealthReport } from './types';

export interface HealthHandlerOptions {
  /** @default the resource attribute `service.version` */
  readonly version?: string;
  /** @default the resource attribute `deployment.environment.name` */
  readonly environment?: string;
  /** Business figures for the detailed view, e.g. `gauges.read` from registerBusinessGauges(). */
  readonly business?: () => BusinessFigures | undefined | Promise<BusinessFigures | undefined>;
  /** @default O4O_OTEL_HEALTH_TOKEN (via the preload) */
  readonly detailedToken?: string;
  /**
   * `token`: the detailed view needs the bearer token (403 while none is configured).
   * `public`: anyone may read it; only for services not reachable from outside.
   * @default 'token'
   */
  readonly detailedAccess?: 'token' | 'public';
}

export type HealthHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(text);
}

function basicCheck(c: CheckResult): Record<string, unknown> {
  return { name: c.name, status: c.status, critical: c.critical, responseTimeMs: c.responseTimeMs, ...(c.error ? { error: c.error } : {}) };
}

function httpStatus(report: HealthReport): number {
  return report.status === 'unhealthy' ? 503 : 200;
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const SUB_PATHS = new Set(['/', '/ready', '/live', '/detailed']);

/** The path below the mount point (`/`, `/ready`, `/live` or `/detailed`), whether mounted at `/health` or at the root. */
function subPath(req: IncomingMessage): string | undefined {
  const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
  const below = path.startsWith('/health') ? path.slice('/health'.length) || '/' : path;
  return SUB_PATHS.has(below) ? below : undefined;
}

export function createHealthHandler(registry: HealthRegistry, options: HealthHandlerOptions = {}): HealthHandler {
  const detailedAccess = options.detailedAccess ?? 'token';

  const basic = async (res: ServerResponse): Promise<void> => {
    const report = await registry.current();
    send(res, httpStatus(report), { status: report.status, timestamp: report.timestamp, checks: report.checks.map(basicCheck) });
  };

  const detailed = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const config = getActiveTelemetry()?.config;
    if (detailedAccess !== 'public') {
      const expected = options.detailedToken ?? config?.health.detailedToken;
      if (expected === undefined) {
        send(res, 403, { error: 'the detailed health view is closed: set O4O_OTEL_HEALTH_TOKEN (or the detailedToken option) and send it as a bearer token' });
        return;
      }
      const given = bearer(req);
      if (given === undefined || !tokenMatches(given, expected)) {
        send(res, 401, { error: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer realm="health"' });
        return;
      }
    }
    const attributes = config?.resourceAttributes ?? {};
    const [report, business] = await Promise.all([registry.current(), Promise.resolve(options.business?.()).catch(() => undefined)]);
    const database = report.checks.find((c) => c.name === 'database');
    send(res, httpStatus(report), {
      status: report.status,
      timestamp: report.timestamp,
      checks: report.checks,
      application: {
        version: options.version ?? attributes['service.version'] ?? null,
        environment: options.environment ?? attributes['deployment.environment.name'] ?? attributes['deployment.environment'] ?? null,
        uptimeSeconds: Math.round(process.uptime()),
        memory: process.memoryUsage(),
        cpu: process.cpuUsage(),
      },
      database: database ? { status: database.status, responseTimeMs: database.responseTimeMs, pool: database.details?.pool ?? null } : null,
      business: business ?? null,
    });
  };

  return (req, res, next) => {
    const path = req.method === 'GET' || req.method === 'HEAD' ? subPath(req) : undefined;
    if (path === undefined) {
      if (next) next();
      else send(res, 404, { error: 'not found' });
      return;
    }
    if (path === '/live') {
      send(res, 200, { status: 'alive', timestamp: new Date().toISOString(), uptimeSeconds: Math.round(process.uptime()) });
      return;
    }
    const work = path === '/detailed' ? detailed(req, res) : basic(res);
    work.catch((error: unknown) => {
      if (next) next(error);
      else if (!res.headersSent) send(res, 500, { status: 'unhealthy', error: 'health check failed' });
    });
  };
}
