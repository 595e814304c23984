/**
 * The head samplers that OTEL_TRACES_SAMPLER names, as one decision function of
 * the parent's span context and the new trace id. Same decisions as the SDK's
 * AlwaysOn, AlwaysOff, TraceIdRatioBased and ParentBased samplers with their
 * default delegates (test/lean-tracer.test.ts compares them); none of these
 * samplers adds attributes or trace state, so a boolean says it all.
 */
import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import type { SamplerName } from '../config';

/** Whether a span is recorded and sampled; `parent` is a valid span context or undefined for a root. */
export type SampleDecision = (parent: SpanContext | undefined, traceId: string) => boolean;

/** The SDK's TraceIdRatioBased rule: the trace id's four 32-bit words XORed, below ratio × 2^32. */
export function traceIdRatio(ratio: number): (traceId: string) => boolean {
  const normalised = typeof ratio !== 'number' || Number.isNaN(ratio) ? 0 : ratio >= 1 ? 1 : ratio <= 0 ? 0 : ratio;
  const upperBound = normalised === 1 ? 4294967296 : Math.floor(normalised * 4294967295);
  return (traceId) => {
    let accumulation = 0;
    for (let i = 0; i < 32; i += 8) {
      let part = 0;
      for (let j = 0; j < 8; j++) {
        const c = traceId.charCodeAt(i + j);
        part = (part << 4) | (c < 58 ? c - 48 : c < 71 ? c - 55 : c - 87);
      }
      accumulation = (accumulation ^ part) >>> 0;
    }
    return accumulation < upperBound;
  };
}

const always = (): boolean => true;
const never = (): boolean => false;

export function createSampleDecision(name: SamplerName, ratio: number): SampleDecision {
  const root = name.endsWith('always_on') ? always : name.endsWith('always_off') ? never : traceIdRatio(ratio);
  if (!name.startsWith('parentbased_')) return (_parent, traceId) => root(traceId);
  // ParentBased's defaults: a sampled parent (remote or local) is followed, an unsampled one too.
  return (parent, traceId) => (parent === undefined ? root(traceId) : (parent.traceFlags & TraceFlags.SAMPLED) !== 0);
}
