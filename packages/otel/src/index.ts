/**
 * The public contract of `@o4o/otel`. The preload (`@o4o/otel/register`) starts
 * everything; services import from here only to shape what is recorded.
 */
import { getActiveTelemetry } from './active';

export { parseConfig, DEFAULTS } from './config';
export type { O4oConfig, ParsedConfig, Environment, OtlpTarget, OtlpProtocol, SamplerName, LogLevel, BatchSettings } from './config';
export { INSTRUMENTATION_NAMES } from './instrumentation-names';
export type { InstrumentationName } from './instrumentation-names';
export { HTTP_DURATION_BUCKETS } from './metrics';

// Business telemetry: the registry every name comes from, and the typed API.
export {
  INSTRUMENTS,
  OTHER,
  ORDER_STATUSES,
  USER_ROLES,
  CURRENCIES,
  PAYMENT_METHODS,
  PAYMENT_OUTCOMES,
  ORDER_VALUE_BUCKETS,
  prometheusName,
} from './telemetry-registry';
export type { InstrumentSpec, InstrumentKind, InstrumentKey, OrderStatus, UserRole, Currency, PaymentMethod, PaymentOutcome } from './telemetry-registry';
export { recordOrderPlaced, recordOrderConfirmed, recordCheckoutStarted, recordUserRegistered, recordPaymentResult } from './business/meters';
export type { OrderPlaced, OrderConfirmed, CheckoutStarted, UserRegistered, PaymentResult } from './business/meters';
export { registerBusinessGauges } from './business/observed-gauges';
export type { BusinessFigures, BusinessGauges, BusinessGaugeOptions } from './business/observed-gauges';

// Health checks and the /health endpoints.
export { createHealthRegistry } from './health/registry';
export type { HealthRegistry, HealthRegistryOptions } from './health/registry';
export { dataSourceCheck, httpCheck, redisCheck, storageCheck } from './health/checks';
export type { CheckOptions, HttpCheckOptions, QueryableDataSource, PingableClient } from './health/checks';
export { createHealthHandler } from './health/handler';
export type { HealthHandler, HealthHandlerOptions } from './health/handler';
export type { HealthCheck, HealthDetails, CheckResult, CheckStatus, HealthReport, OverallStatus } from './health/types';

// Logs: the house winston logger and the redaction it shares with the bridge.
export { createLogger } from './winston/house-logger';
export type { HouseLoggerOptions } from './winston/house-logger';
export { createRedactor, REDACTED } from './redaction';
export type { RedactionOptions, Redactor } from './redaction';

/**
 * Flushes and stops telemetry, within the configured deadline
 * (O4O_OTEL_SHUTDOWN_TIMEOUT_MS). For apps that drain their own work first and
 * then want everything delivered before they exit. Safe to call more than once,
 * and a no-op when the preload is not active.
 */
export function shutdown(): Promise<void> {
  return getActiveTelemetry()?.shutdown() ?? Promise.resolve();
}

/** Exports what is buffered without stopping anything. */
export function forceFlush(): Promise<void> {
  return getActiveTelemetry()?.forceFlush() ?? Promise.resolve();
}
