/**
 * Backend answers recorded from the local stack (test/fixtures/recorded/, taken
 * from stack/start.sh's Jaeger v2.13, Elasticsearch 7.17, Alertmanager 0.25,
 * Prometheus 2.42 and the o4o collector) turned into the CLI's model.
 */
import { counter, parseExposition, sum, timeKey, toAlert, toLogRecord, toTrace, type JaegerTrace } from '@o4o/backends';
import { recorded, recordedJson } from './helpers';

test('Jaeger trace: spans with parent, service, kind, status; status tags are not attributes', () => {
  const raw = recordedJson<{ data: JaegerTrace[] }>('jaeger-trace.json').data[0]!;
  const trace = toTrace(raw);
  expect(trace.traceId).toBe('c18cdd885c597b601df7810058bc4632');
  const root = trace.spans.find((s) => s.parentSpanId === undefined)!;
  const child = trace.spans.find((s) => s.parentSpanId !== undefined)!;
  expect(root).toMatchObject({ service: 'cli-probe', operation: 'GET /orders/:id', kind: 'server', status: 'error' });
  expect(root.attributes).toMatchObject({ 'http.route': '/orders/:id', 'http.response.status_code': 500, 'order.id': 'ord-4712' });
  expect(child).toMatchObject({ parentSpanId: root.spanId, operation: 'load order', kind: 'internal', status: 'error' });
  expect(child.attributes['otel.status_description']).toBe('order store unavailable');
  expect(Object.keys(child.attributes)).not.toEqual(expect.arrayContaining(['otel.status_code', 'error', 'span.kind']));
});

test('Jaeger OK status and unset status', () => {
  const trace = toTrace({
    traceID: 't',
    processes: { p1: { serviceName: 's' } },
    spans: [
      { traceID: 't', spanID: 'a', operationName: 'x', startTime: 1, duration: 1, processID: 'p1', tags: [{ key: 'otel.status_code', value: 'OK' }] },
      { traceID: 't', spanID: 'b', operationName: 'y', startTime: 1, duration: 1, processID: 'p9' },
    ],
  });
  expect(trace.spans.map((s) => [s.status, s.service])).toEqual([
    ['ok', 's'],
    ['unset', '?'],
  ]);
});

test("Jaeger's sub-millisecond clock skew notes are dropped, other warnings kept", () => {
  const trace = toTrace({
    traceID: 't',
    processes: { p1: { serviceName: 's' } },
    warnings: ['invalid parent span IDs=ff; skipping clock skew adjustment'],
    spans: [
      { traceID: 't', spanID: 'a', operationName: 'x', startTime: 1, duration: 1, processID: 'p1', warnings: ['clock skew adjustment disabled; not applying calculated delta of -950.714µs'] },
    ],
  });
  expect(trace.warnings).toEqual(['invalid parent span IDs=ff; skipping clock skew adjustment']);
});

test('search node documents: body, severity, service, ids, attributes', () => {
  const hits = recordedJson<{ hits: { hits: { _source: Parameters<typeof toLogRecord>[0] }[] } }>('search-logs.json').hits.hits;
  const records = hits.map((h) => toLogRecord(h._source));
  expect(records.map((r) => [r.severity, r.body, r.service])).toEqual([
    ['INFO', 'order lookup started', 'cli-probe'],
    ['ERROR', 'order lookup failed', 'cli-probe'],
  ]);
  expect(records[1]).toMatchObject({ traceId: 'c18cdd885c597b601df7810058bc4632', attributes: { 'order.id': 'ord-4712', 'error.type': 'StoreUnavailable' } });
});

test('a log record without severity text is named from its number; structured bodies become JSON', () => {
  expect(toLogRecord({ severity_number: 13, body: { msg: 'x' }, resource: { attributes: { service: { name: 'nested' } } } })).toMatchObject({ severity: 'WARN', body: '{"msg":"x"}', service: 'nested' });
});

test('timeKey orders RFC 3339 timestamps with any number of fraction digits', () => {
  const stamps = ['2024-05-01T10:00:00.5Z', '2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123456789Z'];
  expect([...stamps].sort((a, b) => (timeKey(a) < timeKey(b) ? -1 : 1))).toEqual(['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123456789Z', '2024-05-01T10:00:00.5Z']);
});

test('Alertmanager alert: name, severity, service and route labels, summary', () => {
  const [alert] = recordedJson<Parameters<typeof toAlert>[0][]>('alertmanager-alerts.json').map(toAlert);
  expect(alert).toMatchObject({ name: 'CliProbeHighErrorRate', severity: 'critical', service: 'cli-probe', route: '/orders/:id', summary: 'More than 5% of GET /orders/:id fail', state: 'active' });
});

test('collector exposition: counters with and without _total', () => {
  const samples = parseExposition(recorded('collector-metrics.txt'));
  expect(sum(counter(samples, 'otelcol_receiver_accepted_spans'))).toBeGreaterThan(0);
  const withTotal = parseExposition('otelcol_exporter_send_failed_spans_total{exporter="otlp_grpc/jaeger"} 3\n');
  expect(sum(counter(withTotal, 'otelcol_exporter_send_failed_spans'))).toBe(3);
  expect(parseExposition('a{b="x\\"y",c="1"} 2.5 1700000000\n# HELP a\n')).toEqual([{ name: 'a', labels: { b: 'x"y', c: '1' }, value: 2.5 }]);
});
