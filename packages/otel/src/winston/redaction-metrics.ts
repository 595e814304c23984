/**
 * The log redactor's work as counters on the metrics endpoint: what redaction
 * costs, and how many records reached the budget and were cut.
 */
import type { Counter, Meter } from '@opentelemetry/api';
import { INSTRUMENTS, type InstrumentSpec } from '../telemetry-registry';
import { BUSINESS_SCOPE } from '../business/instruments';
import { onGlobalProvider } from '../global-instruments';
import type { RedactionWork } from '../redaction';

const counters = onGlobalProvider(BUSINESS_SCOPE, (meter: Meter) => {
  const counter = (s: InstrumentSpec): Counter => meter.createCounter(s.name, { unit: s.unit, description: s.description });
  return { values: counter(INSTRUMENTS.redactionValues), chars: counter(INSTRUMENTS.redactionChars), limited: counter(INSTRUMENTS.redactionLimited) };
});

/** An `onWork` callback for createRedactor(). */
export function countRedactionWork(): (work: RedactionWork) => void {
  return (work) => {
    const c = counters();
    c.values.add(work.nodes);
    c.chars.add(work.chars);
    if (work.limited) c.limited.add(1);
  };
}
