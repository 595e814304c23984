/**
 * The package's telemetry about its own pipeline: every item dropped before
 * reaching the collector is counted in `o4o.telemetry.dropped` (signal, reason),
 * served on the Prometheus endpoint like any other instrument, and summed into
 * one stderr line a minute at most. A drop is never silent.
 */
import { metrics, type Counter, type MeterProvider } from '@opentelemetry/api';
import { report, type Report } from './diagnostics';
import { INSTRUMENTS, prometheusName, type DropReason, type TelemetrySignal } from './business/registry';
import { DISTRIBUTION_VERSION } from './version';

export const SELF_TELEMETRY_SCOPE = '@o4o/otel/self-telemetry';

/** How often the summary of drops may be written to stderr. */
const DROP_REPORT_INTERVAL_MILLIS = 60_000;

const ITEM_NAMES: Record<TelemetrySignal, string> = { traces: 'spans', logs: 'log records', metrics: 'metric data points' };

let cached: { provider: MeterProvider; dropped: Counter } | undefined;

function droppedCounter(): Counter {
  const provider = metrics.getMeterProvider();
  if (cached === undefined || cached.provider !== provider) {
    const spec = INSTRUMENTS.telemetryDropped;
    const dropped = provider.getMeter(SELF_TELEMETRY_SCOPE, DISTRIBUTION_VERSION).createCounter(spec.name, { unit: spec.unit, description: spec.description });
    cached = { provider, dropped };
  }
  return cached.dropped;
}

export type DropCounter = (signal: TelemetrySignal, reason: DropReason, items: number) => void;

export function createDropCounter(say: Report = report, intervalMillis = DROP_REPORT_INTERVAL_MILLIS, now: () => number = Date.now): DropCounter {
  const tally = new Map<string, number>();
  let lastReportAt = -Infinity;
  return (signal, reason, items) => {
    if (items <= 0) return;
    try {
      droppedCounter().add(items, { signal, reason });
    } catch {
      // counting must never turn a drop into an exception in the export path
    }
    const key = `${ITEM_NAMES[signal]} ${reason}`;
    tally.set(key, (tally.get(key) ?? 0) + items);
    const t = now();
    if (t - lastReportAt < intervalMillis) return;
    lastReportAt = t;
    const summary = [...tally].map(([k, n]) => `${n} ${k}`).join(', ');
    tally.clear();
    say(`telemetry dropped (${summary}); counted in ${prometheusName(INSTRUMENTS.telemetryDropped)}`);
  };
}

/** Counts `items` of `signal` lost for `reason`. */
export const countDropped: DropCounter = createDropCounter();
