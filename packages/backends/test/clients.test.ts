/** The clients against a fake backend on 127.0.0.1: paths, queries and bodies sent, answers read, failures named. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertmanagerClient, backendRef, BackendFailedError, BackendUnreachableError, collectorClient, jaegerClient, jaegerTag, prometheusClient, searchClient } from '../src';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

let server: Server;
let url: string;
const seen: Seen[] = [];
let answers: Record<string, { status?: number; body: unknown }> = {};

function body(req: IncomingMessage): Promise<string> {
  return new Promise((done) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => done(text));
  });
}

/** A port nothing listens on: one just given up. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ method: req.method!, url: req.url!, body: await body(req) });
    const answer = answers[new URL(req.url!, 'http://x').pathname] ?? { status: 404, body: 'no such path' };
    res.writeHead(answer.status ?? 200, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json' });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

beforeEach(() => {
  seen.length = 0;
  answers = {};
});

test('a backend that does not answer is unreachable, named with its address and hint', async () => {
  const closed = `http://127.0.0.1:${await closedPort()}`;
  const error = await jaegerClient(backendRef('Jaeger', closed, { hint: 'start it', timeoutMillis: 2_000 })).services().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BackendUnreachableError);
  expect((error as Error).message).toBe(`Jaeger at ${closed} is unreachable (connect ECONNREFUSED); start it`);
  expect((error as BackendUnreachableError).details()).toEqual({ backend: 'Jaeger', url: closed, reason: 'connect ECONNREFUSED' });
});

test('an error status is a failure quoting the answer', async () => {
  answers['/api/v2/status'] = { status: 500, body: 'boom' };
  const error = await alertmanagerClient(backendRef('Alertmanager', url)).status().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BackendFailedError);
  expect((error as Error).message).toBe(`Alertmanager at ${url} failed: HTTP 500 for /api/v2/status: boom`);
});

test('Jaeger: raw spans always carry references and tags; a search sends its window in microseconds', async () => {
  const span = { traceID: 't1', spanID: 's1', operationName: 'GET /', startTime: 1, duration: 2, processID: 'p1' };
  answers['/api/traces'] = { body: { data: [{ traceID: 't1', spans: [span, { ...span, spanID: 's2', tags: [{ key: 'k', value: 'v' }] }], processes: { p1: { serviceName: 'svc' } } }] } };
  const [trace] = await jaegerClient(backendRef('Jaeger', url)).rawSearch({ service: 'svc', tags: { 'order.id': '7' }, startMillis: 1_000, limit: 5 });
  expect(trace!.spans.map((s) => [s.references, s.tags.length])).toEqual([[[], 0], [[], 1]]);
  expect(jaegerTag(trace!.spans[1]!, 'k')).toBe('v');
  const query = new URL(seen[0]!.url, url).searchParams;
  expect(Object.fromEntries(query)).toEqual({ service: 'svc', tags: '{"order.id":"7"}', start: '1000000', limit: '5' });
});

test('Jaeger: a trace it does not have is undefined', async () => {
  answers['/api/traces/abc'] = { status: 404, body: { data: null } };
  expect(await jaegerClient(backendRef('Jaeger', url)).rawTrace('abc')).toBeUndefined();
  expect(await jaegerClient(backendRef('Jaeger', url)).getTrace('abc')).toBeUndefined();
});

test('search node: logs by query over <index>*, counts with and without a query, refresh', async () => {
  answers['/o4o-logs*/_search'] = { body: { hits: { hits: [{ _source: { body: 'hello' } }] } } };
  answers['/o4o-logs*/_count'] = { body: { count: 3 } };
  answers['/o4o-logs*/_refresh'] = { body: {} };
  const search = searchClient(backendRef('the search node', url), 'o4o-logs');
  expect(await search.searchLogs({ term: { a: 'b' } }, 7)).toEqual([{ body: 'hello' }]);
  expect(JSON.parse(seen[0]!.body)).toEqual({ size: 7, query: { term: { a: 'b' } }, sort: [{ '@timestamp': { order: 'asc', unmapped_type: 'date' } }] });
  expect(seen[0]!.url).toBe('/o4o-logs*/_search?ignore_unavailable=true&allow_no_indices=true');
  expect(await search.countLogs()).toBe(3);
  expect(seen[1]).toMatchObject({ method: 'GET', body: '' });
  expect(await search.countLogs({ term: { a: 'b' } })).toBe(3);
  expect(seen[2]).toMatchObject({ method: 'POST', body: '{"query":{"term":{"a":"b"}}}' });
  await search.refresh();
  expect(seen[3]).toMatchObject({ method: 'POST', url: '/o4o-logs*/_refresh?ignore_unavailable=true&allow_no_indices=true' });
});

test('Prometheus: an instant vector, and an error answer named', async () => {
  answers['/api/v1/query'] = { body: { status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'x' }, value: [1, '2'] }] } } };
  answers['/api/v1/rules'] = { body: { status: 'error', error: 'bad type' } };
  const prometheus = prometheusClient(backendRef('Prometheus', url));
  expect(await prometheus.query('up')).toEqual([{ metric: { job: 'x' }, value: [1, '2'] }]);
  await expect(prometheus.rules('record')).rejects.toThrow(`Prometheus at ${url} failed: /api/v1/rules: bad type`);
});

test('Alertmanager: alerts are posted as JSON', async () => {
  answers['/api/v2/alerts'] = { body: '' };
  await alertmanagerClient(backendRef('Alertmanager', url)).postAlerts([{ labels: { alertname: 'A' } }]);
  expect(seen[0]).toMatchObject({ method: 'POST', body: '[{"labels":{"alertname":"A"}}]' });
});

test('collector: health status and self-metrics parsed', async () => {
  answers['/'] = { body: { status: 'Server available' } };
  answers['/metrics'] = { body: 'otelcol_receiver_accepted_spans_total{receiver="otlp"} 4\n' };
  const collector = collectorClient(backendRef('health', url), backendRef('metrics', `${url}/metrics`));
  expect(await collector.healthStatus()).toEqual({ healthy: true, status: 'Server available' });
  expect(await collector.metrics()).toEqual([{ name: 'otelcol_receiver_accepted_spans_total', labels: { receiver: 'otlp' }, value: 4 }]);
});
