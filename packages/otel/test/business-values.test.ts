/** Pure parts of the business API: value checks, the rejection ledger, the cached reader; the amount ceiling. */
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type Histogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { setActiveTelemetry } from '../src/active';
import { amountCeiling } from '../src/business/amount-ceiling';
import { parseConfig } from '../src/config';
import type { Telemetry } from '../src/telemetry';
import { createRejectionLedger } from '../src/business/instruments';
import { createCachedReader } from '../src/business/cached-reader';
import { CURRENCIES, ORDER_STATUSES } from '../src/telemetry-registry';
import { checkAmount, checkEnum } from '../src/business/validation';
import { recordOrderConfirmed, recordOrderPlaced, recordPaymentResult } from '../src/business/meters';

describe('checkAmount', () => {
  test.each([
    [12500, { ok: true, value: 12500 }],
    [0, { ok: true, value: 0 }],
    ['99.50', { ok: true, value: 99.5 }],
    [-1, { ok: false, reason: 'negative' }],
    [NaN, { ok: false, reason: 'not_finite' }],
    [Infinity, { ok: false, reason: 'not_finite' }],
    ['12abc', { ok: false, reason: 'not_a_number' }],
    [undefined, { ok: false, reason: 'not_a_number' }],
  ])('%p', (input, expected) => expect(checkAmount(input)).toEqual(expected));

  test.each([
    [1e12, { ok: true, value: 1e12 }],
    [1e12 + 1, { ok: false, reason: 'too_large' }],
    ['5000000000000.00', { ok: false, reason: 'too_large' }],
    [-5e15, { ok: false, reason: 'negative' }],
  ])('%p against a ceiling of 1e12', (input, expected) => expect(checkAmount(input, 1e12)).toEqual(expected));
});

describe('checkEnum', () => {
  test('case is forgiven, anything else is other', () => {
    expect(checkEnum('CONFIRMED', ORDER_STATUSES)).toEqual({ value: 'confirmed', rejected: false });
    expect(checkEnum('krw', CURRENCIES, 'upper')).toEqual({ value: 'KRW', rejected: false });
    expect(checkEnum('teleported', ORDER_STATUSES)).toEqual({ value: 'other', rejected: true });
    expect(checkEnum(42, ORDER_STATUSES)).toEqual({ value: 'other', rejected: true });
  });
});

describe('the business API without an SDK', () => {
  test('is a no-op that never throws, whatever it is given', () => {
    expect(() => recordOrderPlaced({ status: 'confirmed', userRole: 'customer', amount: 1, currency: 'KRW' })).not.toThrow();
    expect(() => recordOrderPlaced(undefined as never)).not.toThrow();
    expect(() => recordPaymentResult(null as never)).not.toThrow();
  });
});

describe('rejection ledger', () => {
  test('one summary line per interval, naming instruments and reasons but never values', () => {
    const lines: string[] = [];
    let now = 0;
    const reject = createRejectionLedger((l) => lines.push(l), 60_000, () => now);
    reject('o4o.order.value', 'negative');
    reject('o4o.order.value', 'negative');
    reject('o4o.orders.placed', 'unknown_value', 'status');
    expect(lines).toEqual(['business telemetry rejected bad values (o4o.order.value negative x1); counted in o4o_telemetry_rejected_values_total']);
    now = 61_000;
    reject('o4o.order.value', 'not_finite');
    expect(lines[1]).toBe(
      'business telemetry rejected bad values (o4o.order.value negative x1, o4o.orders.placed status unknown_value x1, o4o.order.value not_finite x1); counted in o4o_telemetry_rejected_values_total',
    );
  });
});

describe('cached reader', () => {
  test('a source that never answers yields the last value, and is not called again while pending', async () => {
    let calls = 0;
    let hang = false;
    const problems: string[] = [];
    const reader = createCachedReader(
      () => {
        calls += 1;
        return hang ? new Promise<number>(() => undefined) : calls;
      },
      20,
      (p) => problems.push(p),
    );
    expect(await reader.read()).toBe(1);
    hang = true;
    expect(await reader.read()).toBe(1);
    expect(await reader.read()).toBe(1);
    expect(calls).toBe(2);
    expect(problems).toEqual(['callback_timeout']);
  });

  test('a source that throws, even synchronously, keeps the last value and recovers', async () => {
    let fail = false;
    const problems: string[] = [];
    const reader = createCachedReader(
      () => {
        if (fail) throw new Error('db down');
        return 'ok';
      },
      1_000,
      (p) => problems.push(p),
    );
    expect(await reader.read()).toBe('ok');
    fail = true;
    expect(await reader.read()).toBe('ok');
    fail = false;
    expect(await reader.read()).toBe('ok');
    expect(problems).toEqual(['callback_failed']);
  });
});

/** Collects on demand, for reading what the business API recorded in-process. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

function points(collected: ResourceMetrics, name: string): DataPoint<unknown>[] {
  return collected.scopeMetrics.flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints as DataPoint<unknown>[]);
}

const ACTIVE = Symbol.for('@o4o/otel.telemetry');

describe('O4O_OTEL_BUSINESS_MAX_AMOUNT', () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[ACTIVE];
    metrics.disable();
  });

  test('without the preload the ceiling is 1e12 major units', () => {
    expect(amountCeiling()).toBe(1e12);
  });

  test('with the preload the configured ceiling applies', () => {
    const { config } = parseConfig({ O4O_OTEL_BUSINESS_MAX_AMOUNT: '5000000' });
    setActiveTelemetry({ config } as Telemetry);
    expect(amountCeiling()).toBe(5_000_000);
  });

  test('an amount above the ceiling is counted as too_large and never recorded; the order itself is still counted', async () => {
    const { config } = parseConfig({ O4O_OTEL_BUSINESS_MAX_AMOUNT: '5000000' });
    setActiveTelemetry({ config } as Telemetry);
    const reader = new OnDemandReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

    recordOrderPlaced({ status: 'confirmed', userRole: 'customer', amount: 12_500, currency: 'KRW' });
    recordOrderPlaced({ status: 'confirmed', userRole: 'customer', amount: 1_250_000_000, currency: 'KRW' }); // cents taken for won
    recordOrderConfirmed({ amount: 9_000_000, currency: 'KRW' });

    const { resourceMetrics } = await reader.collect();
    const value = points(resourceMetrics, 'o4o.order.value');
    expect(value.map((p) => [(p.value as Histogram).count, (p.value as Histogram).sum])).toEqual([[1, 12_500]]);
    expect(points(resourceMetrics, 'o4o.revenue').map((p) => p.value)).toEqual([12_500]);
    expect(points(resourceMetrics, 'o4o.orders.placed').map((p) => p.value)).toEqual([2]);
    expect(points(resourceMetrics, 'o4o.telemetry.rejected_values').map((p) => [p.attributes, p.value])).toEqual([
      [{ instrument: 'o4o.order.value', reason: 'too_large' }, 1],
      [{ instrument: 'o4o.revenue', reason: 'too_large' }, 1],
    ]);
  });
});
