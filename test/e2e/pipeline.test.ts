/**
 * The whole pipeline, real parts only: the example shop under the preload sends
 * through the o4o collector into Jaeger, Elasticsearch and Prometheus, and the
 * on-call questions get answers: this order's trace, its logs, its metrics.
 */
import { randomBytes } from 'node:crypto';
import { eventually, jaegerSearch, jaegerTrace, promExemplars, promQuery, searchLogs, tag, type JaegerTrace } from '../src/backends';
import { startShop, type RunningShop } from '../src/shop';
import { STACK } from '../src/stack';
import { logsRequest, postOtlpJson, str, tracesRequest } from '../src/otlp-json';

const SERVICE = 'shop-api'; // the collector's local scrape job names the scraped series after it

async function placeOrder(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 1, items: [{ productId: 1, quantity: 1 }], paymentMethod: 'card' }),
  });
  const body = (await response.json()) as { id: number; status: string };
  expect(response.status).toBe(201);
  return body.id;
}

describe('pipeline: shop -> collector -> Jaeger, Elasticsearch, Prometheus', () => {
  let shop: RunningShop;
  let orderId: number;
  let trace: JaegerTrace;
  const startedAt = Date.now() / 1000;

  beforeAll(async () => {
    shop = await startShop({ serviceName: SERVICE, providerEnv: { PAYMENT_FAILURE_RATE: '0' } });
    orderId = await placeOrder(shop.baseUrl);
    // Some ordinary traffic, so rates and quantiles have something to work on.
    for (let i = 0; i < 20; i++) await fetch(`${shop.baseUrl}/products/${(i % 8) + 1}`);
  });
  afterAll(() => shop.stop());

  test('the order is found in Jaeger by its order id, and its trace by trace id', async () => {
    // Only this run's traces: Jaeger keeps earlier runs' (the shop's order ids restart at 1).
    const sinceStart = (): string => `${Math.ceil(Date.now() / 1000 - startedAt) + 5}s`;
    const found = await eventually(() => jaegerSearch(SERVICE, { 'order.id': String(orderId) }, 1000, sinceStart()), (traces) => traces.length === 1, `a trace tagged order.id=${orderId}`);
    const traceId = found[0]!.traceID;
    trace = (await eventually(() => jaegerTrace(traceId), (t) => (t?.spans.length ?? 0) >= 8, `trace ${traceId} complete`))!;

    // POST /orders                          SERVER
    // └── request handler                   order.id=<id>
    //     ├── SELECT users                  o4o.db.orm.operation=findOneBy
    //     ├── typeorm.transaction
    //     │   ├── BEGIN TRANSACTION ... SELECT products ... INSERT orders (save Order) ... COMMIT
    //     ├── POST                          CLIENT (payment provider)
    //     └── UPDATE orders
    const names = trace.spans.map((s) => s.operationName);
    expect(names).toEqual(expect.arrayContaining(['POST /orders', 'request handler', 'typeorm.transaction', 'INSERT orders', 'POST']));
    const server = trace.spans.find((s) => s.operationName === 'POST /orders')!;
    expect(tag(server, 'http.route')).toBe('/orders');
    expect(trace.processes[server.processID]!.serviceName).toBe(SERVICE);
    const transaction = trace.spans.find((s) => s.operationName === 'typeorm.transaction')!;
    const insert = trace.spans.find((s) => s.operationName === 'INSERT orders')!;
    const parentOf = (spanId: string): string | undefined => trace.spans.find((s) => s.spanID === spanId)?.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
    // INSERT orders sits right under the transaction and names the repository call that issued it.
    expect(parentOf(insert.spanID)).toBe(transaction.spanID);
    expect(tag(insert, 'o4o.db.orm.operation')).toBe('save');
    expect(tag(insert, 'o4o.db.orm.entity')).toBe('Order');
    // The customer's e-mail is in the orders table, never in the trace.
    expect(JSON.stringify(trace)).not.toMatch(/@example\.com/);
  });

  test("the order's log records are in Elasticsearch under its trace id, in order", async () => {
    const logs = await eventually(
      () => searchLogs({ term: { 'trace_id.keyword': trace.traceID } }),
      (docs) => docs.filter((d) => ['order processing started', 'order confirmed'].includes(String(d.body))).length === 2,
      `two log records for trace ${trace.traceID}`,
    );
    expect(logs.map((d) => d.body)).toEqual(expect.arrayContaining(['order processing started', 'order confirmed']));
    const started = logs.find((d) => d.body === 'order processing started')!;
    expect(started.severity_text).toBe('info');
    expect(started.resource?.attributes?.['service.name']).toBe(SERVICE);
    expect(started.attributes?.orderId).toBe(orderId);
    expect(trace.spans.map((s) => s.spanID)).toContain(started.span_id);
  });

  test('Prometheus has the HTTP histogram, a business counter, host metrics and span metrics', async () => {
    const queries = [
      `http_server_request_duration_bucket{job="${SERVICE}",http_route="/orders",http_request_method="POST"}`,
      `o4o_orders_placed_total{job="${SERVICE}",status="confirmed"}`,
      `o4o_health_check_status{job="${SERVICE}",check="payment"}`,
      'system_cpu_time_seconds_total',
      'system_memory_usage_bytes',
      `traces_span_metrics_calls_total{job="${SERVICE}",span_name="POST /orders"}`,
      `db_client_operation_duration_bucket{job="${SERVICE}"}`,
    ];
    for (const query of queries) {
      // Samples written during this run, not left over from an earlier one.
      const fresh = `timestamp(${query}) > ${Math.floor(startedAt)}`;
      await eventually(() => promQuery(fresh), (series) => series.length > 0, `fresh series for ${query}`, 120_000);
    }
  });

  test('span-metric exemplars carry trace ids that resolve in Jaeger', async () => {
    // Only exemplars of this run's requests: older ones may name traces Jaeger has let go.
    const fresh = (results: Awaited<ReturnType<typeof promExemplars>>) => results.flatMap((r) => r.exemplars).filter((e) => e.timestamp >= startedAt && e.labels.trace_id);
    const withExemplars = await eventually(
      () => promExemplars(`traces_span_metrics_duration_seconds_bucket{job="${SERVICE}"}`, startedAt, Date.now() / 1000),
      (results) => fresh(results).length > 0,
      'exemplars on the span duration histogram',
      120_000,
    );
    const traceId = fresh(withExemplars).sort((a, b) => b.timestamp - a.timestamp)[0]!.labels.trace_id;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const resolved = await eventually(() => jaegerTrace(traceId!), (t) => t !== undefined, `exemplar trace ${traceId} in Jaeger`);
    expect(resolved!.spans.length).toBeGreaterThan(0);
  });
});

describe('collector redaction', () => {
  test('personal data in a log body is masked on the way to Elasticsearch; ids with digits stay intact', async () => {
    const service = `redaction-${Date.now()}`;
    const body = 'parcel delivery-effc243a for order 12345 paid by 4111111111111111, receipt to jane.doe@example.com';
    const record = { timeUnixNano: String(Date.now() * 1_000_000), body: { stringValue: body } };
    expect(await postOtlpJson(STACK.collectorOtlpHttp, 'logs', logsRequest(service, [record]))).toBe(200);
    const [doc] = await eventually(() => searchLogs({ term: { 'resource.attributes.service.name.keyword': service } }), (docs) => docs.length === 1, `the ${service} log record`);
    const stored = String(doc!.body);
    expect(stored).toContain('delivery-effc243a');
    expect(stored).toContain('order 12345');
    expect(stored).not.toContain('4111111111111111');
    expect(stored).not.toContain('jane.doe@example.com');
  });

  test('secret query parameters and personal data in exception messages are scrubbed from spans on the way to Jaeger', async () => {
    const service = `span-redaction-${Date.now()}`;
    const traceId = randomBytes(16).toString('hex');
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = {
      traceId,
      spanId: randomBytes(8).toString('hex'),
      name: 'GET /items',
      kind: 2,
      startTimeUnixNano: String(now),
      endTimeUnixNano: String(now + 2_000_000n),
      attributes: [str('url.query', 'page=2&token=qs-tok-1&api_key=qs-key-2'), str('url.full', 'http://shop.local/items?page=2&signature=qs-sig-3&code=qs-code-4')],
      events: [
        {
          name: 'exception',
          timeUnixNano: String(now + 1_000_000n),
          attributes: [str('exception.message', 'Key (email)=(jane.doe@example.com) exists; password=pw-5; Bearer bt-6'), str('exception.type', 'QueryFailedError')],
        },
      ],
      status: { code: 2, message: 'failed for jane.doe@example.com' },
    };
    expect(await postOtlpJson(STACK.collectorOtlpHttp, 'traces', tracesRequest(service, [span]))).toBe(200);
    const stored = await eventually(() => jaegerTrace(traceId), (t) => t !== undefined, `trace ${traceId} in Jaeger`);
    const text = JSON.stringify(stored);
    // What is kept proves the span arrived whole ...
    expect(text).toContain('page=2');
    expect(text).toContain('QueryFailedError');
    // ... and no secret or address did.
    for (const secret of ['qs-tok-1', 'qs-key-2', 'qs-sig-3', 'qs-code-4', 'jane.doe@example.com', 'pw-5', 'bt-6']) expect(text).not.toContain(secret);
  });
});

describe('host metrics', () => {
  test('carry the host name as host_name, so several hosts stay apart', async () => {
    const series = await eventually(() => promQuery('system_memory_usage_bytes{host_name!=""}'), (s) => s.length > 0, 'host memory series with host_name', 90_000);
    expect(series.every((s) => typeof s.metric.host_name === 'string' && s.metric.host_name.length > 0)).toBe(true);
  });
});
