/**
 * Removes secrets and card numbers from log records before any transport sees
 * them. Pure and copy-on-write: the app's own objects are never changed.
 *
 * - A field whose name says it holds a secret (password, token, authorization,
 *   cookie, card number, ...) at any depth: its value becomes `[REDACTED]`.
 * - Inside any string: card numbers (13-19 digits passing the Luhn check) keep
 *   their last four digits only; `Bearer`/`Basic` credentials are removed; and,
 *   unless turned off, e-mail addresses are masked (`j***@example.com`).
 */

export interface RedactionOptions {
  /** More field names to redact, matched like the built-in ones (case, `-` and `_` ignored). */
  readonly keys?: readonly string[];
  /** @default true */
  readonly maskEmails?: boolean;
}

export const REDACTED = '[REDACTED]';

/** Field names, normalised (lower case, no `-`/`_`), whose value is always redacted. */
const EXACT_KEYS = ['pin', 'cvv', 'cvc', 'cvv2', 'pan', 'ssn', 'otp', 'session', 'sessionid', 'sid', 'jwt', 'auth'];
/** Normalised fragments: a field name containing one of these is redacted (`newPassword`, `x-api-key`). */
const KEY_FRAGMENTS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'authorization', 'apikey', 'cookie', 'cardnumber', 'creditcard', 'privatekey', 'credential'];

const MAX_DEPTH = 12;
/** winston keeps the extra arguments of a log call here; format.splat() prints them. Other symbols are internal and kept as they are. */
const SPLAT = Symbol.for('splat');

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

export function isSensitiveKey(key: string, extra: ReadonlySet<string> = new Set()): boolean {
  const k = normalise(key);
  return EXACT_KEYS.includes(k) || extra.has(k) || KEY_FRAGMENTS.some((f) => k.includes(f));
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const EMAIL = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;

export function redactString(value: string, maskEmails = true): string {
  let out = value.replace(CARD, (match) => {
    const digits = match.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhn(digits) ? `****${digits.slice(-4)}` : match;
  });
  out = out.replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  if (maskEmails) out = out.replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
  return out;
}

export type Redactor = <T>(value: T) => T;

/** Builds a redactor; the result returns a redacted copy, or the value itself when nothing needed changing. */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const extra = new Set((options.keys ?? []).map(normalise));
  const maskEmails = options.maskEmails ?? true;

  const walk = (value: unknown, depth: number, seen: Set<object>): unknown => {
    if (typeof value === 'string') return redactString(value, maskEmails);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return value;
    if (depth > MAX_DEPTH) return '[Truncated]';
    // Dates, Buffers and the like serialise themselves and hold no named fields.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || ArrayBuffer.isView(value)) return value;
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        let changed = false;
        const copy = value.map((item) => {
          const r = walk(item, depth + 1, seen);
          if (r !== item) changed = true;
          return r;
        });
        return changed ? copy : value;
      }
      return copyObject(value, depth, seen);
    } finally {
      seen.delete(value);
    }
  };

  const copyObject = (value: object, depth: number, seen: Set<object>): object => {
    const source = value as Record<string | symbol, unknown>;
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<string | symbol, unknown>;
    let changed = false;
    const keys: (string | symbol)[] = [...Object.keys(value), ...Object.getOwnPropertySymbols(value)];
    // An Error's message and stack are not enumerable, but they are what gets logged.
    if (value instanceof Error) keys.push(...['name', 'message', 'stack'].filter((k) => Object.prototype.hasOwnProperty.call(value, k) && !keys.includes(k)));
    for (const key of keys) {
      const original = source[key];
      let next: unknown;
      if (typeof key === 'symbol') next = key === SPLAT ? walk(original, depth + 1, seen) : original;
      else if (isSensitiveKey(key, extra) && original !== undefined && original !== null && original !== '') next = REDACTED;
      else next = walk(original, depth + 1, seen);
      if (next !== original) changed = true;
      // Keep non-enumerable fields (an Error's message and stack) non-enumerable, so serialisers see the same shape.
      if (Object.prototype.propertyIsEnumerable.call(value, key)) copy[key] = next;
      else Object.defineProperty(copy, key, { value: next, enumerable: false, writable: true, configurable: true });
    }
    return changed ? copy : value;
  };

  return <T>(value: T): T => walk(value, 0, new Set()) as T;
}
