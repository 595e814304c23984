/**
 * Pure checks for values the business API receives. A bad value is never
 * thrown back at the app and never becomes a new series: amounts are dropped,
 * enum values outside the registry become `other`.
 */
import { OTHER, type RejectionReason } from '../telemetry-registry';

export type AmountCheck = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: RejectionReason };

/** Decimal strings are accepted because `pg` returns `numeric` columns as strings. */
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * A non-negative, finite amount no larger than `ceiling`; decimal strings such
 * as `"12500.00"` count as numbers.
 */
export function checkAmount(value: unknown, ceiling = Infinity): AmountCheck {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value)) n = Number(value);
  else if (typeof value === 'bigint') n = Number(value);
  else return { ok: false, reason: 'not_a_number' };
  if (!Number.isFinite(n)) return { ok: false, reason: 'not_finite' };
  if (n < 0) return { ok: false, reason: 'negative' };
  if (n > ceiling) return { ok: false, reason: 'too_large' };
  return { ok: true, value: n };
}

export interface EnumCheck<T extends string> {
  readonly value: T | typeof OTHER;
  /** True when the given value was not allowed and `other` stands in for it. */
  readonly rejected: boolean;
}

/**
 * Maps a value onto the allowed list. Case and surrounding blanks are forgiven
 * (`'CONFIRMED'` from an enum is `'confirmed'`); anything else is `other`.
 * The given value itself is never kept, so it cannot leak into a label.
 */
export function checkEnum<T extends string>(value: unknown, allowed: readonly T[], letterCase: 'lower' | 'upper' = 'lower'): EnumCheck<T> {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    const normal = letterCase === 'lower' ? trimmed.toLowerCase() : trimmed.toUpperCase();
    const found = allowed.find((a) => a === normal);
    if (found !== undefined) return { value: found, rejected: false };
  }
  return { value: OTHER, rejected: true };
}
