/** A trace's log records in time order, placed on the trace's clock. */
import type { LogRecord } from '../model';
import { oneLine } from './format';
import { renderTable } from './table';

/** Microseconds since the epoch of an RFC 3339 timestamp, keeping the sub-millisecond digits. */
export function timestampMicros(timestamp: string): number {
  const millis = Date.parse(timestamp);
  if (Number.isNaN(millis)) return NaN;
  const fraction = /\.(\d+)/.exec(timestamp)?.[1] ?? '';
  const subMillis = Number((fraction.slice(3, 6) || '0').padEnd(3, '0'));
  return millis * 1_000 + subMillis;
}

function attributePairs(attributes: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  return Object.entries(attributes).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value) ? attributePairs(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}=${oneLine(value, 40)}`],
  );
}

export function renderLogs(records: readonly LogRecord[], traceStartMicros: number): string[] {
  if (records.length === 0) return ['(no log records for this trace)'];
  const rows = records.map((r) => {
    const at = timestampMicros(r.timestamp);
    const offset = Number.isNaN(at) ? r.timestamp : `${at < traceStartMicros ? '-' : '+'}${((Math.abs(at - traceStartMicros)) / 1_000).toFixed(1)}ms`;
    return [offset, r.severity || '-', r.service || '-', r.spanId ? r.spanId.slice(0, 8) : '-', `${oneLine(r.body, 100)}  ${attributePairs(r.attributes).join(' ')}`.trimEnd()];
  });
  return renderTable(['AT', 'LEVEL', 'SERVICE', 'SPAN', 'MESSAGE'], rows);
}
