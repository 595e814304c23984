/** The trace waterfall: tree order and glyphs, offsets, durations, status, bars, key attributes. */
import { renderWaterfall, spanTree, summarizeTrace, timeBar } from '../src/render/waterfall';
import { formatDuration } from '../src/render/format';
import type { Trace } from '../src/model';
import { span } from './helpers';

const T0 = 1_700_000_000_000_000;

// shop-api        POST /orders            0 ms  120 ms
// ├─ shop-api     SELECT orders           2 ms    5 ms
// ├─ shop-api     POST (payment call)    10 ms  100 ms
// │  └─ payments  POST /charge           12 ms   95 ms  ERROR
// └─ shop-api     UPDATE orders         112 ms    3 ms
const trace: Trace = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  warnings: [],
  spans: [
    span({ spanId: 'd', parentSpanId: 'a', operation: 'UPDATE orders', startMicros: T0 + 112_000, durationMicros: 3_000, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'UPDATE' } }),
    span({ spanId: 'c', parentSpanId: 'b', service: 'payments', operation: 'POST /charge', kind: 'server', startMicros: T0 + 12_000, durationMicros: 95_000, status: 'error', attributes: { 'http.route': '/charge', 'http.response.status_code': 502, 'otel.status_description': 'card processor timeout' } }),
    span({ spanId: 'a', operation: 'POST /orders', kind: 'server', startMicros: T0, durationMicros: 120_000, status: 'ok', attributes: { 'http.route': '/orders', 'http.response.status_code': 201, 'order.id': '42', 'http.request.method': 'POST' } }),
    span({ spanId: 'b', parentSpanId: 'a', operation: 'POST', kind: 'client', startMicros: T0 + 10_000, durationMicros: 100_000, attributes: { 'url.full': 'http://127.0.0.1:3100/charge' } }),
    span({ spanId: 'e', parentSpanId: 'a', operation: 'SELECT orders', startMicros: T0 + 2_000, durationMicros: 5_000, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' } }),
  ],
};

test('spanTree: depth first, children by start time, tree glyphs', () => {
  expect(spanTree(trace.spans).map((n) => `${n.prefix}${n.span.operation}`)).toEqual([
    'POST /orders',
    '├─ SELECT orders',
    '├─ POST',
    '│  └─ POST /charge',
    '└─ UPDATE orders',
  ]);
});

test('siblings stamped with the same millisecond print in execution order: BEGIN, statements, then ROLLBACK', () => {
  // Span ids chosen so that id order alone would print ROLLBACK first.
  const at = T0 + 1_000;
  const tx = [
    span({ spanId: '0a', parentSpanId: 'r', operation: 'ROLLBACK', startMicros: at, durationMicros: 0, attributes: { 'db.query.text': 'ROLLBACK' } }),
    span({ spanId: '0b', parentSpanId: 'r', operation: 'UPDATE products', startMicros: at, durationMicros: 0, attributes: { 'db.operation.name': 'UPDATE' } }),
    span({ spanId: '0c', parentSpanId: 'r', operation: 'SELECT products', startMicros: at, durationMicros: 0, attributes: { 'db.operation.name': 'SELECT' } }),
    span({ spanId: '0d', parentSpanId: 'r', operation: 'BEGIN TRANSACTION', startMicros: at, durationMicros: 0, attributes: { 'db.query.text': 'BEGIN TRANSACTION' } }),
    span({ spanId: 'r', operation: 'POST /orders', kind: 'server', startMicros: at, durationMicros: 3_000 }),
  ];
  const order = spanTree(tx).map((n) => n.span.operation);
  expect(order[0]).toBe('POST /orders');
  expect(order[1]).toBe('BEGIN TRANSACTION');
  expect(order[4]).toBe('ROLLBACK');
});

test('equal starts outside a transaction: the sibling that ended first comes first', () => {
  const at = T0 + 1_000;
  const nodes = spanTree([
    span({ spanId: '01', parentSpanId: 'r', operation: 'second', startMicros: at, durationMicros: 900 }),
    span({ spanId: '02', parentSpanId: 'r', operation: 'first', startMicros: at, durationMicros: 200 }),
    span({ spanId: 'r', operation: 'root', startMicros: at, durationMicros: 2_000 }),
  ]);
  expect(nodes.map((n) => n.span.operation)).toEqual(['root', 'first', 'second']);
});

test('a span whose parent is missing is shown as a root, not hidden', () => {
  const nodes = spanTree([span({ spanId: 'x', parentSpanId: 'gone', operation: 'orphan', startMicros: T0 + 5 }), span({ spanId: 'r', operation: 'root' })]);
  expect(nodes.map((n) => [n.span.operation, n.depth])).toEqual([
    ['root', 0],
    ['orphan', 0],
  ]);
});

test('summarizeTrace: duration from first start to last end, errors, services, root', () => {
  const summary = summarizeTrace(trace);
  expect(summary).toMatchObject({ startMicros: T0, durationMicros: 120_000, spanCount: 5, errorCount: 1, services: ['payments', 'shop-api'] });
  expect(summary.root?.spanId).toBe('a');
});

test('timeBar places the span within the trace', () => {
  const root = trace.spans[2]!;
  expect(timeBar(root, T0, 120_000, 12)).toBe('████████████');
  expect(timeBar(span({ spanId: 'z', startMicros: T0 + 60_000, durationMicros: 30_000 }), T0, 120_000, 12)).toBe('      ███   ');
  expect(timeBar(span({ spanId: 'z', startMicros: T0 + 119_999, durationMicros: 0 }), T0, 120_000, 4)).toBe('   █');
});

test('renderWaterfall: header, one aligned line per span with its key attributes', () => {
  const lines = renderWaterfall(trace, { barWidth: 12 });
  expect(lines[0]).toBe('Trace 4bf92f3577b34da6a3ce929d0e0e4736  2023-11-14 22:13:20.000Z  120ms  5 spans  2 services (payments, shop-api)  1 error');
  expect(lines.slice(2)).toEqual([
    'SPAN                          START    DURATION  STATUS  TIMELINE        ATTRIBUTES',
    'shop-api  POST /orders        +0µs     120ms     ok      |████████████|  route=/orders status=201 order.id=42',
    '├─ shop-api  SELECT orders    +2.00ms  5.00ms    -       |█           |  db=postgresql db.op=SELECT',
    '├─ shop-api  POST             +10.0ms  100ms     -       | ██████████ |  url=http://127.0.0.1:3100/charge',
    '│  └─ payments  POST /charge  +12.0ms  95.0ms    ERROR   | ██████████ |  route=/charge status=502 error=card processor timeout',
    '└─ shop-api  UPDATE orders    +112ms   3.00ms    -       |           █|  db=postgresql db.op=UPDATE',
  ]);
});

test("Jaeger's warnings are printed under the tree", () => {
  expect(renderWaterfall({ ...trace, warnings: ['invalid parent span IDs=1234; skipping clock skew adjustment'] }).at(-1)).toBe('warning: invalid parent span IDs=1234; skipping clock skew adjustment');
});

test.each([
  [850, '850µs'],
  [1_234, '1.23ms'],
  [12_345, '12.3ms'],
  [245_000, '245ms'],
  [1_240_000, '1.24s'],
  [123_000_000, '2m03s'],
])('formatDuration(%d µs) = %s', (micros, text) => {
  expect(formatDuration(micros)).toBe(text);
});
