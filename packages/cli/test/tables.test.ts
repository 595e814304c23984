/** Tables for find, logs and alerts. */
import { renderAlerts } from '../src/render/alerts';
import { renderTraceTable } from '../src/render/find';
import { renderLogs, timestampMicros } from '../src/render/logs';
import { renderTable } from '../src/render/table';
import { summarizeTrace } from '../src/render/waterfall';
import type { Alert } from '../src/model';
import { span } from './helpers';

test('renderTable aligns columns and never pads the last one', () => {
  expect(renderTable(['A', 'LONG HEADER', 'Z'], [['xyz', 'b', 'last'], ['', 'µs', '']])).toEqual(['A    LONG HEADER  Z', 'xyz  b            last', '     µs']);
});

test('find: one line per trace with start, id, duration, spans, errors, root and its key attributes', () => {
  const summary = summarizeTrace({
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    warnings: [],
    spans: [
      span({ spanId: 'a', operation: 'POST /orders', durationMicros: 120_000, attributes: { 'http.response.status_code': 502, 'order.id': '42', 'http.route': '/orders' } }),
      span({ spanId: 'b', parentSpanId: 'a', status: 'error', service: 'payments' }),
    ],
  });
  expect(renderTraceTable([summary])).toEqual([
    'STARTED (UTC)             TRACE ID                          DURATION  SPANS  ERRORS   ROOT                    ATTRIBUTES',
    '2023-11-14 22:13:20.000Z  4bf92f3577b34da6a3ce929d0e0e4736  120ms     2      1 ERROR  shop-api  POST /orders  status=502 order.id=42',
  ]);
});

test('logs: offset from the trace start, level, service, span, body and attributes', () => {
  const start = timestampMicros('2024-05-01T10:00:00.000Z');
  expect(timestampMicros('2024-05-01T10:00:00.012345678Z') - start).toBe(12_345);
  expect(
    renderLogs(
      [
        { timestamp: '2024-05-01T10:00:00.0015Z', severity: 'INFO', body: 'order processing started', service: 'shop-api', traceId: 't', spanId: '00f067aa0ba902b7', attributes: { orderId: 42 } },
        { timestamp: '2024-05-01T10:00:00.120Z', severity: 'ERROR', body: 'payment failed', service: 'shop-api', traceId: 't', spanId: '', attributes: { error: { code: 'declined' } } },
      ],
      start,
    ),
  ).toEqual([
    'AT        LEVEL  SERVICE   SPAN      MESSAGE',
    '+1.5ms    INFO   shop-api  00f067aa  order processing started  orderId=42',
    '+120.0ms  ERROR  shop-api  -         payment failed  error.code=declined',
  ]);
  expect(renderLogs([], start)).toEqual(['(no log records for this trace)']);
});

test('alerts: each firing alert with its examples, or why there are none', () => {
  const alert: Alert = {
    name: 'HighErrorRate',
    state: 'active',
    severity: 'critical',
    startsAt: '2024-05-01T10:00:00.000Z',
    summary: 'More than 5% of checkouts fail',
    labels: {},
    service: 'shop-api',
    route: '/orders',
    fingerprint: 'f',
    generatorUrl: '',
  };
  const now = Date.parse('2024-05-01T10:12:00.000Z');
  expect(
    renderAlerts(
      [
        { alert, examples: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', source: 'exemplar' }] },
        { alert: { ...alert, name: 'NodeDown', service: undefined, route: undefined, summary: '' }, examples: [] },
      ],
      now,
    ),
  ).toEqual([
    'FIRING  HighErrorRate  critical  since 2024-05-01T10:00:00.000Z (12m00s)  service=shop-api route=/orders',
    '  More than 5% of checkouts fail',
    '  trace 4bf92f3577b34da6a3ce929d0e0e4736  (exemplar)  o4o-otel trace 4bf92f3577b34da6a3ce929d0e0e4736',
    '',
    'FIRING  NodeDown  critical  since 2024-05-01T10:00:00.000Z (12m00s)',
    '  no service label: no example traces',
  ]);
  expect(renderAlerts([], now)).toEqual(['No alerts firing.']);
});
