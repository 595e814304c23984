/** Pure parts of the business API: value checks, the rejection ledger, the cached reader. */
import { createRejectionLedger } from '../src/business/instruments';
import { createCachedReader } from '../src/business/cached-reader';
import { CURRENCIES, ORDER_STATUSES } from '../src/business/registry';
import { checkAmount, checkEnum } from '../src/business/validation';
import { recordOrderPlaced, recordPaymentResult } from '../src/business/meters';

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
