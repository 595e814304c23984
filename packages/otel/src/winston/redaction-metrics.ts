/**
 * The log redactor's work as counters on the metrics endpoint: what redaction
 * costs, and how many records reached the budget and were cut.
 */
import { metrics, type Counter, type MeterProvider } from '@opentelemetry/api';
import { INSTRUMENTS, type InstrumentSpec } from '../business/registry';
import { BUSINESS_SCOPE } from '../business/instruments';
import type { RedactionWork } from '../redaction';
import { DISTRIBUTION_VERSION } from '../version';

interface Counters {
  readonly provider: MeterProvider;
  readonly values: Counter;
  readonly chars: Counter;
  readonly limited: Counter;
}

/** An `onWork` callback for createRedactor(); instruments follow the current global provider. */
export function countRedactionWork(): (work: RedactionWork) => void {
  let counters: Counters | undefined;
  return (work) => {
    const provider = metrics.getMeterProvider();
    if (counters?.provider !== provider) {
      const meter = provider.getMeter(BUSINESS_SCOPE, DISTRIBUTION_VERSION);
      const counter = (s: InstrumentSpec): Counter => meter.createCounter(s.name, { unit: s.unit, description: s.description });
      counters = { provider, values: counter(INSTRUMENTS.redactionValues), chars: counter(INSTRUMENTS.redactionChars), limited: counter(INSTRUMENTS.redactionLimited) };
    }
    counters.values.add(work.nodes);
    counters.chars.add(work.chars);
    if (work.limited) counters.limited.add(1);
  };
}
