/**
 * A trace as a waterfall tree: one line per span, children under their parent
 * in start order, each with its offset from the trace start, duration, status,
 * a bar placing it in the trace's time span, and its key attributes.
 */
import type { Span, Trace } from '../model';
import { formatPairs, keyAttributes } from './attributes';
import { formatDuration, formatOffset, formatTimestamp, plural } from './format';
import { renderTable } from './table';

export interface SpanNode {
  readonly span: Span;
  readonly depth: number;
  /** Tree glyphs drawn before the span's name. */
  readonly prefix: string;
}

/**
 * Depth-first order with tree prefixes. Spans whose parent is not in the trace
 * (not yet arrived, or dropped) become roots, so nothing is hidden.
 */
/** Where a statement sits in a transaction: opening, inside, or closing. */
function transactionStep(span: Span): number {
  const text = String(span.attributes['db.query.text'] ?? span.attributes['db.statement'] ?? span.attributes['db.operation.name'] ?? span.operation).trimStart().toUpperCase();
  if (/^(BEGIN|START TRANSACTION|SAVEPOINT)\b/.test(text)) return 0;
  if (/^(COMMIT|ROLLBACK|RELEASE)\b/.test(text)) return 2;
  return 1;
}

/**
 * Execution order of siblings. Start time first; spans stamped with a coarse
 * clock often share one, so ties go by what must have happened first: a
 * transaction's BEGIN before its statements before its COMMIT or ROLLBACK,
 * then the span that ended first (siblings run one after another far more
 * often than overlapped), then span id so the order is stable.
 */
export function executionOrder(a: Span, b: Span): number {
  return (
    a.startMicros - b.startMicros ||
    transactionStep(a) - transactionStep(b) ||
    a.startMicros + a.durationMicros - (b.startMicros + b.durationMicros) ||
    a.spanId.localeCompare(b.spanId)
  );
}

export function spanTree(spans: readonly Span[]): SpanNode[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const byStart = executionOrder;
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const list = children.get(span.parentSpanId) ?? [];
      list.push(span);
      children.set(span.parentSpanId, list);
    } else {
      roots.push(span);
    }
  }
  const nodes: SpanNode[] = [];
  const visited = new Set<string>();
  const walk = (span: Span, depth: number, lead: string, glyph: string): void => {
    if (visited.has(span.spanId)) return; // a reference cycle in bad data
    visited.add(span.spanId);
    nodes.push({ span, depth, prefix: lead + glyph });
    const kids = (children.get(span.spanId) ?? []).sort(byStart);
    const childLead = depth === 0 ? '' : lead + (glyph === '└─ ' ? '   ' : '│  ');
    kids.forEach((kid, i) => walk(kid, depth + 1, childLead, i === kids.length - 1 ? '└─ ' : '├─ '));
  };
  for (const root of roots.sort(byStart)) walk(root, 0, '', '');
  return nodes;
}

export interface TraceSummary {
  readonly traceId: string;
  readonly startMicros: number;
  readonly durationMicros: number;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly services: readonly string[];
  /** The root span (or the earliest, when the root is missing). */
  readonly root: Span | undefined;
}

export function summarizeTrace(trace: Trace): TraceSummary {
  const spans = trace.spans;
  const start = Math.min(...spans.map((s) => s.startMicros));
  const end = Math.max(...spans.map((s) => s.startMicros + s.durationMicros));
  const ids = new Set(spans.map((s) => s.spanId));
  const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId)).sort((a, b) => a.startMicros - b.startMicros);
  return {
    traceId: trace.traceId,
    startMicros: spans.length ? start : 0,
    durationMicros: spans.length ? end - start : 0,
    spanCount: spans.length,
    errorCount: spans.filter((s) => s.status === 'error').length,
    services: [...new Set(spans.map((s) => s.service))].sort(),
    root: roots.find((s) => !s.parentSpanId) ?? roots[0],
  };
}

/** `[   ████      ]`: where the span sits within the trace. */
export function timeBar(span: Span, traceStart: number, traceDuration: number, width: number): string {
  if (traceDuration <= 0) return '█'.repeat(width);
  const from = Math.min(width - 1, Math.floor(((span.startMicros - traceStart) / traceDuration) * width));
  const to = Math.max(from + 1, Math.min(width, Math.ceil(((span.startMicros + span.durationMicros - traceStart) / traceDuration) * width)));
  return ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(width - to);
}

const STATUS_TEXT = { ok: 'ok', unset: '-', error: 'ERROR' } as const;

export function renderWaterfall(trace: Trace, options: { readonly barWidth?: number } = {}): string[] {
  const summary = summarizeTrace(trace);
  const barWidth = options.barWidth ?? 24;
  const header =
    `Trace ${trace.traceId}  ${formatTimestamp(summary.startMicros)}  ${formatDuration(summary.durationMicros)}  ` +
    `${plural(summary.spanCount, 'span')}  ${plural(summary.services.length, 'service')} (${summary.services.join(', ')})` +
    (summary.errorCount > 0 ? `  ${plural(summary.errorCount, 'error')}` : '');
  const rows = spanTree(trace.spans).map(({ span, prefix }) => [
    `${prefix}${span.service}  ${span.operation}`,
    formatOffset(span.startMicros - summary.startMicros),
    formatDuration(span.durationMicros),
    STATUS_TEXT[span.status],
    `|${timeBar(span, summary.startMicros, summary.durationMicros, barWidth)}|`,
    formatPairs(keyAttributes(span.attributes)),
  ]);
  const table = renderTable(['SPAN', 'START', 'DURATION', 'STATUS', 'TIMELINE'.padEnd(barWidth + 2), 'ATTRIBUTES'], rows);
  return [header, '', ...table, ...trace.warnings.map((w) => `warning: ${w}`)];
}
