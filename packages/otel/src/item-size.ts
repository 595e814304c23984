/**
 * Cheap estimates of how many bytes a span or log record takes once encoded, to
 * bound the processors' queues by memory as well as by count. Walking the
 * attributes costs far less than serializing (~2 us a span); the estimate errs
 * high on purpose (fixed overhead per field), since it bounds memory.
 */
import type { AnyValue, Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** Ids, timestamps, kind, status and the field tags around them. */
const SPAN_OVERHEAD = 96;
const EVENT_OVERHEAD = 24;
const LINK_OVERHEAD = 48;
const LOG_OVERHEAD = 64;
/** Key/value framing of one attribute. */
const ATTRIBUTE_OVERHEAD = 8;
/** Deepest nesting walked in log bodies; below it a constant stands in. */
const MAX_DEPTH = 8;

export function valueBytes(value: AnyValue | undefined, depth = 0): number {
  if (value === null || value === undefined) return 1;
  switch (typeof value) {
    case 'string':
      return value.length;
    case 'number':
    case 'boolean':
      return 8;
    default:
      break;
  }
  if (depth >= MAX_DEPTH) return 64;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    let bytes = 2;
    for (const item of value) bytes += 2 + valueBytes(item as AnyValue, depth + 1);
    return bytes;
  }
  let bytes = 2;
  for (const [key, item] of Object.entries(value as Record<string, AnyValue>)) bytes += ATTRIBUTE_OVERHEAD + key.length + valueBytes(item, depth + 1);
  return bytes;
}

export function attributesBytes(attributes: Attributes | undefined): number {
  if (attributes === undefined) return 0;
  let bytes = 0;
  for (const key in attributes) bytes += ATTRIBUTE_OVERHEAD + key.length + valueBytes(attributes[key] as AnyValue, 1);
  return bytes;
}

export function estimateSpanBytes(span: ReadableSpan): number {
  let bytes = SPAN_OVERHEAD + span.name.length + (span.status.message?.length ?? 0) + attributesBytes(span.attributes);
  for (const event of span.events) bytes += EVENT_OVERHEAD + event.name.length + attributesBytes(event.attributes);
  for (const link of span.links) bytes += LINK_OVERHEAD + attributesBytes(link.attributes);
  return bytes;
}

export function estimateLogRecordBytes(record: ReadableLogRecord): number {
  return LOG_OVERHEAD + (record.severityText?.length ?? 0) + (record.eventName?.length ?? 0) + valueBytes(record.body) + attributesBytes(record.attributes);
}
