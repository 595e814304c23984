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
