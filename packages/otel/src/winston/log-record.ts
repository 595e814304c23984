/**
 * A winston record (the `info` object after the logger's formats) as an
 * OpenTelemetry log record: body from `message`, severity from the raw level,
 * the remaining fields as attributes, a stack as the record's exception.
 */
import type { AnyValue, Attributes, Context, LogRecord } from '@opentelemetry/api';
import { severityOf } from './severity';
import { LOG_CONTEXT } from './symbols';

export const LEVEL = Symbol.for('level');

/** Fields the bridge adds for correlation; the log record carries them natively. */
const CORRELATION_FIELDS = new Set(['trace_id', 'span_id', 'trace_flags']);
const NOT_ATTRIBUTES = new Set(['message', 'level', 'stack']);

type Info = Record<string | symbol, unknown>;

/**
 * Values converted per record. The redactor keeps shared objects shared, and
 * an OTLP record is a tree: a graph with shared children would expand to every
 * path through it, so the expansion is bounded here.
 */
const MAX_VALUES = 10_000;
const MAX_DEPTH = 8;
const TRUNCATED = '[Truncated]';

function toAnyValue(value: unknown, budget: { left: number }, depth = 0): AnyValue {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'object') return String(value);
  if (depth > MAX_DEPTH || budget.left <= 0) return TRUNCATED;
  budget.left -= 1;
  if (Array.isArray(value)) {
    const out: AnyValue[] = [];
    for (const item of value) {
      if (budget.left <= 0) {
        out.push(TRUNCATED);
        break;
      }
      out.push(toAnyValue(item, budget, depth + 1));
    }
    return out;
  }
  if (value instanceof Error) return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  const out: Record<string, AnyValue> = {};
  for (const k of Object.keys(value)) {
    if (budget.left <= 0) {
      out[TRUNCATED] = TRUNCATED;
      break;
    }
    out[k] = toAnyValue((value as Record<string, unknown>)[k], budget, depth + 1);
  }
  return out;
}

function exceptionOf(info: Info): unknown {
  for (const key of ['error', 'err']) {
    const v = info[key];
    if (v instanceof Error) return v;
  }
  if (typeof info.stack === 'string') {
    const name = /^([^:\n]+):/.exec(info.stack)?.[1];
    return { stack: info.stack, message: typeof info.message === 'string' ? info.message : undefined, name };
  }
  return undefined;
}

export function toLogRecord(info: Info): LogRecord {
  const level = info[LEVEL] ?? info.level;
  const attributes: Attributes = {};
  const exception = exceptionOf(info);
  const budget = { left: MAX_VALUES };
  for (const key of Object.keys(info)) {
    if (NOT_ATTRIBUTES.has(key) || CORRELATION_FIELDS.has(key)) continue;
    if (exception !== undefined && exception === info[key]) continue;
    attributes[key] = toAnyValue(info[key], budget) as Attributes[string];
  }
  const message = info.message;
  return {
    severityNumber: severityOf(level),
    severityText: typeof level === 'string' ? level : undefined,
    body: typeof message === 'string' ? message : toAnyValue(message, budget),
    attributes,
    ...(exception !== undefined ? { exception } : {}),
    ...(info[LOG_CONTEXT] ? { context: info[LOG_CONTEXT] as Context } : {}),
  };
}
