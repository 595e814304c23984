/** Public types of health checks and their reports. */

/** Extra facts a check may return for `/health/detailed` (pool sizes, versions). */
export type HealthDetails = Readonly<Record<string, unknown>>;

export interface HealthCheck {
  /** Lower-case name, used in the report and as the `check` label of the health metrics. */
  readonly name: string;
  /**
   * Resolves when the dependency is healthy, rejects when it is not. `signal`
   * aborts when the timeout passes; checks that can cancel their work should.
   */
  readonly run: (signal: AbortSignal) => Promise<HealthDetails | void> | HealthDetails | void;
  /**
   * Milliseconds before the check counts as failed.
   * @default 2000
   */
  readonly timeoutMillis?: number;
  /**
   * A failing critical check makes the service unhealthy (HTTP 503); a failing
   * non-critical one only degrades it (HTTP 200, status `degraded`).
   * @default true
   */
  readonly critical?: boolean;
}

export type CheckStatus = 'healthy' | 'unhealthy';
export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly critical: boolean;
  readonly responseTimeMs: number;
  /** A short, internals-free reason: an error code such as `ECONNREFUSED`, `timeout`, or the error's class. */
  readonly error?: string;
  /** The full error message; only shown in the detailed view. */
  readonly errorMessage?: string;
  readonly details?: HealthDetails;
}

export interface HealthReport {
  readonly status: OverallStatus;
  readonly timestamp: string;
  readonly checks: readonly CheckResult[];
}
