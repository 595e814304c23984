/**
 * The largest money amount the business API records. The business API also
 * runs without the preload (an app that starts its own SDK, or none), so the
 * ceiling has a default of its own when no configuration is active.
 */
import { getActiveTelemetry } from '../active';
import { DEFAULTS } from '../config';

/** O4O_OTEL_BUSINESS_MAX_AMOUNT of the running preload, otherwise the default (1e12 major units). */
export function amountCeiling(): number {
  return getActiveTelemetry()?.config.business.maxAmount ?? DEFAULTS.businessMaxAmount;
}
