/** Shared test material: recorded backend answers and a span factory. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../src/model';

export const RECORDED = join(__dirname, 'fixtures', 'recorded');

/** An answer recorded from the local stack (stack/start.sh), as text. */
export function recorded(name: string): string {
  return readFileSync(join(RECORDED, name), 'utf8');
}

export function recordedJson<T = unknown>(name: string): T {
  return JSON.parse(recorded(name)) as T;
}

export function span(overrides: Partial<Span> & Pick<Span, 'spanId'>): Span {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    parentSpanId: undefined,
    service: 'shop-api',
    operation: 'op',
    kind: 'internal',
    startMicros: 1_700_000_000_000_000,
    durationMicros: 1_000,
    status: 'unset',
    attributes: {},
    ...overrides,
  };
}
