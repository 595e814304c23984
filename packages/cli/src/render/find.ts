/** `find` results: one line per trace. */
import { formatPairs, keyAttributes } from './attributes';
import { formatDuration, formatTimestamp } from './format';
import { renderTable } from './table';
import type { TraceSummary } from './waterfall';

export function renderTraceTable(summaries: readonly TraceSummary[]): string[] {
  const rows = summaries.map((s) => [
    formatTimestamp(s.startMicros),
    s.traceId,
    formatDuration(s.durationMicros),
    String(s.spanCount),
    s.errorCount > 0 ? `${s.errorCount} ERROR` : '-',
    s.root ? `${s.root.service}  ${s.root.operation}` : '?',
    s.root ? formatPairs(keyAttributes(s.root.attributes).filter(([k]) => k === 'status' || k === 'order.id')) : '',
  ]);
  return renderTable(['STARTED (UTC)', 'TRACE ID', 'DURATION', 'SPANS', 'ERRORS', 'ROOT', 'ATTRIBUTES'], rows);
}
