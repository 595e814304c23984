/**
 * The business instruments, created from the registry on the global meter
 * provider, resolved lazily: with the preload they land in the SDK, without it
 * they are the API's no-ops. They are rebuilt when the global provider changes
 * (an app that starts its own SDK after first use still gets real instruments).
 */
import { metrics, type Counter, type Histogram, type Meter } from '@opentelemetry/api';
import { createTallyReporter, createThrottledReporter, report, type Report } from '../diagnostics';
import { onGlobalProvider } from '../global-instruments';
import { DISTRIBUTION_VERSION } from '../version';
import { INSTRUMENTS, type InstrumentSpec, type RejectionReason } from '../telemetry-registry';

export const BUSINESS_SCOPE = '@o4o/otel/business';

export interface BusinessInstruments {
  readonly ordersPlaced: Counter;
  readonly orderValue: Histogram;
  readonly revenue: Counter;
  readonly checkoutsStarted: Counter;
  readonly usersRegistered: Counter;
  readonly paymentsProcessed: Counter;
  readonly rejectedValues: Counter;
}

function counter(meter: Meter, s: InstrumentSpec): Counter {
  return meter.createCounter(s.name, { unit: s.unit, description: s.description });
}

function create(meter: Meter): BusinessInstruments {
  const i = INSTRUMENTS;
  return {
    ordersPlaced: counter(meter, i.ordersPlaced),
    orderValue: meter.createHistogram(i.orderValue.name, {
      unit: i.orderValue.unit,
      description: i.orderValue.description,
      advice: { explicitBucketBoundaries: [...(i.orderValue.buckets ?? [])] },
    }),
    revenue: counter(meter, i.revenue),
    checkoutsStarted: counter(meter, i.checkoutsStarted),
    usersRegistered: counter(meter, i.usersRegistered),
    paymentsProcessed: counter(meter, i.paymentsProcessed),
    rejectedValues: counter(meter, i.rejectedValues),
  };
}

/** The meter of this package's business and health telemetry on the current global provider. */
export function businessMeter(): Meter {
  return metrics.getMeterProvider().getMeter(BUSINESS_SCOPE, DISTRIBUTION_VERSION);
}

export const businessInstruments: () => BusinessInstruments = onGlobalProvider(BUSINESS_SCOPE, create);

/** How often the summary of rejected values may be written to stderr. */
export const REJECTION_REPORT_INTERVAL_MILLIS = 60_000;

/**
 * Counts rejected values by instrument and reason, and writes at most one
 * summary line per interval naming what was rejected since the last line (never
 * the values themselves: they may be personal data).
 */
export type RejectionLedger = (instrument: string, reason: RejectionReason, attribute?: string) => void;

export function createRejectionLedger(say: Report = report, intervalMillis = REJECTION_REPORT_INTERVAL_MILLIS, now: () => number = Date.now): RejectionLedger {
  const tally = createTallyReporter(
    intervalMillis,
    (key, n) => `${key} x${n}`,
    (summary) => `business telemetry rejected bad values (${summary}); counted in o4o_telemetry_rejected_values_total`,
    say,
    now,
  );
  return (instrument: string, reason: RejectionReason, attribute?: string): void => {
    try {
      businessInstruments().rejectedValues.add(1, { instrument, reason });
    } catch {
      // a broken meter must not turn a bad value into an exception
    }
    tally(attribute === undefined ? `${instrument} ${reason}` : `${instrument} ${attribute} ${reason}`);
  };
}

export const rejectValue: RejectionLedger = createRejectionLedger();

/** Problems inside our own code: one line a minute at most, never an exception. */
export const internalProblem: Report = createThrottledReporter(60_000);
