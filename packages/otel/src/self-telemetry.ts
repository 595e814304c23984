/**
 * The package's telemetry about its own pipeline: every item dropped before
 * reaching the collector is counted in `o4o.telemetry.dropped` (signal, reason),
 * served on the Prometheus endpoint like any other instrument, and summed into
 * one stderr line a minute at most. A drop is never silent.
 */
import type { Counter } from '@opentelemetry/api';
import { createTallyReporter, report, type Report } from './diagnostics';
import { onGlobalProvider } from './global-instruments';
import { INSTRUMENTS, prometheusName, type DropReason, type TelemetrySignal } from './telemetry-registry';

export const SELF_TELEMETRY_SCOPE = '@o4o/otel/self-telemetry';

/** How often the summary of drops may be written to stderr. */
const DROP_REPORT_INTERVAL_MILLIS = 60_000;

const ITEM_NAMES: Record<TelemetrySignal, string> = { traces: 'spans', logs: 'log records', metrics: 'metric data points' };

const droppedCounter = onGlobalProvider(SELF_TELEMETRY_SCOPE, (meter): Counter => {
  const spec = INSTRUMENTS.telemetryDropped;
  return meter.createCounter(spec.name, { unit: spec.unit, description: spec.description });
});

export type DropCounter = (signal: TelemetrySignal, reason: DropReason, items: number) => void;

export function createDropCounter(say: Report = report, intervalMillis = DROP_REPORT_INTERVAL_MILLIS, now: () => number = Date.now): DropCounter {
  const tally = createTallyReporter(
    intervalMillis,
    (key, n) => `${n} ${key}`,
    (summary) => `telemetry dropped (${summary}); counted in ${prometheusName(INSTRUMENTS.telemetryDropped)}`,
    say,
    now,
  );
  return (signal, reason, items) => {
    if (items <= 0) return;
    try {
      droppedCounter().add(items, { signal, reason });
    } catch {
      // counting must never turn a drop into an exception in the export path
    }
    tally(`${ITEM_NAMES[signal]} ${reason}`, items);
  };
}

/** Counts `items` of `signal` lost for `reason`. */
export const countDropped: DropCounter = createDropCounter();
