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

function toAnyValue(value: unknown, depth = 0): AnyValue {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return value;
  if (depth > 8 || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map((v) => toAnyValue(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  const out: Record<string, AnyValue> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toAnyValue(v, depth + 1);
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
  for (const key of Object.keys(info)) {
    if (NOT_ATTRIBUTES.has(key) || CORRELATION_FIELDS.has(key)) continue;
    if (exception !== undefined && exception === info[key]) continue;
    attributes[key] = toAnyValue(info[key]) as Attributes[string];
  }
  const message = info.message;
  return {
    severityNumber: severityOf(level),
    severityText: typeof level === 'string' ? level : undefined,
    body: typeof message === 'string' ? message : toAnyValue(message),
    attributes,
    ...(exception !== undefined ? { exception } : {}),
    ...(info[LOG_CONTEXT] ? { context: info[LOG_CONTEXT] as Context } : {}),
  };
}
