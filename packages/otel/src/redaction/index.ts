/**
 * Removes secrets and card numbers from log records before any transport sees
 * them. Copy-on-write: the app's own objects are never changed.
 *
 * - A field whose name says it holds a secret (password, token, authorization,
 *   cookie, card number, ...) at any depth: its value becomes `[REDACTED]`.
 * - Inside any string: see text.ts (cards, credentials, `token=` pairs, e-mails).
 *
 * The work per record is bounded, because the input is whatever the app logs,
 * often straight from a request: at most `maxNodes` values are visited and
 * `maxChars` characters of strings and field names scanned. Past either budget,
 * values are replaced by a marker and never walked; a long string is cut and
 * only its kept part scanned. An object reached twice (shared, or a cycle) is
 * visited once and its copy reused, so a graph costs its size, not its paths.
 * Nothing here throws: a getter or proxy that throws yields a marker instead.
 */
import { isSensitiveKey, normaliseName } from './keys';
import { REDACTED, scrubText, type TextScrubOptions } from './text';

export { REDACTED, scrubText } from './text';
export { isSensitiveKey, isSensitiveQueryParameter } from './keys';
export { scrubUrl } from './url';

export interface RedactionLimits {
  /** Values (objects, arrays, strings, numbers...) visited per record. */
  readonly maxNodes: number;
  /** Characters of strings and field names scanned per record. */
  readonly maxChars: number;
  /** Nesting below this depth is replaced by a marker. */
  readonly maxDepth: number;
}

export const DEFAULT_REDACTION_LIMITS: RedactionLimits = Object.freeze({ maxNodes: 10_000, maxChars: 1_048_576, maxDepth: 12 });

/** The work one record took, for self-telemetry and for tests that bound it. */
export interface RedactionWork {
  readonly nodes: number;
  readonly chars: number;
  /** A budget ran out: some values were cut or replaced by a marker. */
  readonly limited: boolean;
}

export interface RedactionOptions {
  /** More field names to redact, matched like the built-in ones (case, `-` and `_` ignored). */
  readonly keys?: readonly string[];
  /** @default true */
  readonly maskEmails?: boolean;
  readonly limits?: Partial<RedactionLimits>;
  /** Called once per record with the work it took. */
  readonly onWork?: (work: RedactionWork) => void;
}

export const TRUNCATED = '[Truncated]';
export const UNREADABLE = '[Unreadable]';
/** Replaces the message of a record whose redaction failed outright. */
export const WITHHELD = '[Withheld: the log record could not be redacted]';

/** Fields of a log record that must survive any budget. */
const FIRST_FIELDS = ['level', 'message'];

/** What read() returns for a field whose getter threw: never equal to a real value. */
const UNREADABLE_VALUE = Symbol('unreadable');

/** winston keeps the extra arguments of a log call here; format.splat() prints them. Other symbols are internal and kept as they are. */
const SPLAT = Symbol.for('splat');

export type Redactor = <T>(value: T) => T;

/** Keeps the head of a string within `room` characters, cut at a space near the end if there is one. */
function cut(value: string, room: number): string {
  const space = value.lastIndexOf(' ', room);
  const end = space > room - 64 && space > 0 ? space : room;
  return `${value.slice(0, end)}…${TRUNCATED.slice(0, -1)} ${value.length - end} chars]`;
}

class Walk {
  nodes = 0;
  chars = 0;
  limited = false;
  /** Each object visited, with its result (its copy while still being built). */
  private readonly results = new Map<object, unknown>();

  constructor(
    private readonly limits: RedactionLimits,
    private readonly text: TextScrubOptions,
    private readonly extraKeys: ReadonlySet<string>,
  ) {}

  private exhausted(): boolean {
    return this.nodes >= this.limits.maxNodes || this.chars >= this.limits.maxChars;
  }

  value(value: unknown, depth: number): unknown {
    if (value !== null && typeof value === 'object') {
      const known = this.results.get(value);
      if (known !== undefined || this.results.has(value)) return known;
    }
    if (value === undefined) return value;
    if (this.exhausted()) {
      this.limited = true;
      return TRUNCATED;
    }
    this.nodes += 1;
    if (typeof value === 'string') return this.string(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > this.limits.maxDepth) {
      this.limited = true;
      return TRUNCATED;
    }
    try {
      return this.object(value, depth);
    } catch {
      // A proxy whose traps throw, a getter that throws on enumeration.
      this.results.set(value, UNREADABLE);
      return UNREADABLE;
    }
  }

  private string(value: string): string {
    const room = this.limits.maxChars - this.chars;
    if (value.length <= room) {
      this.chars += value.length;
      return scrubText(value, this.text);
    }
    this.limited = true;
    this.chars = this.limits.maxChars;
    return room > 0 ? scrubText(cut(value, room), this.text) : TRUNCATED;
  }

  private object(value: object, depth: number): unknown {
    // Dates, Buffers and typed arrays hold no named fields.
    if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
    if (Array.isArray(value)) return this.array(value, depth);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      // What a serialiser would print: redact that (a model's toJSON may well include its password).
      const result = this.value(toJSON.call(value), depth);
      this.results.set(value, result);
      return result;
    }
    return this.record(value, depth);
  }

  private array(value: readonly unknown[], depth: number): unknown {
    const copy: unknown[] = [];
    this.results.set(value, copy);
    let changed = false;
    for (let i = 0; i < value.length; i += 1) {
      if (this.exhausted()) {
        this.limited = true;
        copy.push(`${TRUNCATED.slice(0, -1)} ${value.length - i} more items]`);
        changed = true;
        break;
      }
      const item = this.read(value, i);
      const next = item === UNREADABLE_VALUE ? UNREADABLE : this.value(item, depth + 1);
      if (next !== item) changed = true;
      copy.push(next);
    }
    const result = changed ? copy : value;
    this.results.set(value, result);
    return result;
  }

  private record(value: object, depth: number): unknown {
    const source = value as Record<string | symbol, unknown>;
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<string | symbol, unknown>;
    this.results.set(value, copy);
    let changed = false;
    const keys: (string | symbol)[] = Object.keys(value);
    for (const symbol of Object.getOwnPropertySymbols(value)) keys.push(symbol);
    // An Error's message and stack are not enumerable, but they are what gets logged.
    if (value instanceof Error) for (const k of ['name', 'message', 'stack']) if (Object.prototype.hasOwnProperty.call(value, k) && !keys.includes(k)) keys.push(k);
    const field = (key: string | symbol): { original: unknown; next: unknown } => {
      const original = this.read(source, key);
      if (original === UNREADABLE_VALUE) return { original, next: UNREADABLE };
      if (typeof key === 'symbol') return { original, next: key === SPLAT ? this.splat(original, depth) : original };
      this.chars = Math.min(this.limits.maxChars, this.chars + Math.min(key.length, 128));
      const secret = isSensitiveKey(key, this.extraKeys) && original !== undefined && original !== null && original !== '';
      return { original, next: secret ? REDACTED : this.value(original, depth + 1) };
    };
    // A record's level and message are redacted first, so a huge field elsewhere cannot use up their budget.
    const early = new Map<string, { original: unknown; next: unknown }>();
    for (const key of FIRST_FIELDS) if (Object.prototype.hasOwnProperty.call(value, key)) early.set(key, field(key));
    let omitted = 0;
    for (const key of keys) {
      // Past the budget, fields are left out; symbols (winston's level and message) are always kept.
      const done = typeof key === 'string' ? early.get(key) : undefined;
      if (done === undefined && typeof key === 'string' && this.exhausted()) {
        omitted += 1;
        continue;
      }
      const { original, next } = done ?? field(key);
      if (next !== original) changed = true;
      // Keep non-enumerable fields (an Error's message and stack) non-enumerable, so serialisers see the same shape.
      if (Object.prototype.propertyIsEnumerable.call(value, key)) copy[key] = next;
      else Object.defineProperty(copy, key, { value: next, enumerable: false, writable: true, configurable: true });
    }
    if (omitted > 0) {
      this.limited = true;
      copy[TRUNCATED] = `${omitted} more fields`;
      changed = true;
    }
    const result = changed ? copy : value;
    this.results.set(value, result);
    return result;
  }

  /** format.splat() needs an array here, whatever the budget left. */
  private splat(original: unknown, depth: number): unknown {
    const next = this.value(original, depth + 1);
    return Array.isArray(original) && !Array.isArray(next) ? [] : next;
  }

  private read(source: object, key: string | symbol | number): unknown {
    try {
      return (source as Record<string | symbol | number, unknown>)[key];
    } catch {
      return UNREADABLE_VALUE;
    }
  }
}

/** What the transports get when redaction fails outright: winston's own fields and a marker message. */
function withheld(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return WITHHELD;
  const out: Record<string | symbol, unknown> = {};
  try {
    const source = value as Record<string | symbol, unknown>;
    for (const symbol of Object.getOwnPropertySymbols(value)) if (symbol !== SPLAT) out[symbol] = source[symbol];
    if (typeof source.level === 'string') out.level = source.level;
  } catch {
    // nothing more can be read
  }
  out.message = WITHHELD;
  return out;
}

/** Builds a redactor; the result returns a redacted copy, or the value itself when nothing needed changing. */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const extraKeys = new Set((options.keys ?? []).map(normaliseName));
  const text: TextScrubOptions = { maskEmails: options.maskEmails ?? true, keys: extraKeys };
  const limits: RedactionLimits = { ...DEFAULT_REDACTION_LIMITS, ...options.limits };
  const onWork = options.onWork;
  return <T>(value: T): T => {
    const walk = new Walk(limits, text, extraKeys);
    let result: unknown;
    try {
      result = walk.value(value, 0);
    } catch {
      result = withheld(value);
      walk.limited = true;
    }
    if (onWork !== undefined) {
      try {
        onWork({ nodes: walk.nodes, chars: walk.chars, limited: walk.limited });
      } catch {
        // self-telemetry must not fail a log call
      }
    }
    return result as T;
  };
}
