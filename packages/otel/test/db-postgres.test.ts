/**
 * Database tracing on a real PostgreSQL server: one readable tree per request
 * (request, ORM operation, SQL), for TypeORM 1.x and 0.3.x, CommonJS and ESM;
 * no connect spans, no startup noise, and correct parents under a busy pool.
 */
import { startPostgres, type PostgresServer, type ReceivedSpan } from '@o4o/test-utils';
import { SERVER, type AppUnderTest } from './helpers';
import { CLIENT, INTERNAL, childrenOf, drawTree, post, requestSpan, startOrdersApp, waitForTrace } from './db-helpers';

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.destroy());

describe.each([
  ['TypeORM 1.x, CommonJS (--require)', 'typeorm', false],
  ['TypeORM 0.3.x, CommonJS (--require)', 'typeorm-0.3', false],
  ['TypeORM 1.x, ESM (--import)', 'typeorm', true],
])('%s on PostgreSQL', (_label, typeorm, esm) => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startOrdersApp({ databaseUrl: postgres.url, typeorm, esm });
  });
  afterAll(() => t?.stop());

  test('a repository read: request, then its SQL, which names the ORM operation', async () => {
    await post(t.app.baseUrl, '/orders', { email: 'reader@example.com', card: '4000000000000002', amount: 3 });
    expect((await fetch(`${t.app.baseUrl}/orders/1`)).status).toBe(200);
    const request = await requestSpan(t.receiver, 'GET', '/orders/:id');
    await waitForTrace(t.receiver, request, 3);

    // GET /orders/:id                 SERVER    @o4o/otel/http-server
    // └── request handler             INTERNAL  @o4o/otel/express
    //     └── SELECT orders           CLIENT    instrumentation-pg
    //         o4o.db.orm.operation=findOneBy o4o.db.orm.entity=Order
    expect(drawTree(t.receiver.spans, request)).toEqual(['GET /orders/:id', '  request handler', '    SELECT orders [findOneBy Order]']);
    const [handler] = childrenOf(t.receiver.spans, request);
    const [sql] = childrenOf(t.receiver.spans, handler!);
    expect(sql).toMatchObject({ kind: CLIENT, scope: { name: '@opentelemetry/instrumentation-pg' } });
    expect(sql!.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.namespace': postgres.database,
      'db.query.summary': 'SELECT orders',
      'db.collection.name': 'orders',
      'o4o.db.orm.operation': 'findOneBy',
      'o4o.db.orm.entity': 'Order',
    });
    expect(sql!.attributes['db.query.text']).toMatch(/^SELECT .* FROM "orders" "Order" WHERE .*\$1/);
    // No span for the repository call: it only wraps its statement.
    expect(t.receiver.spans.filter((s) => s.traceId === request.traceId && s.kind === INTERNAL).map((s) => s.name)).toEqual(['request handler']);
  });

  test('a transaction: its statements beneath it, each naming its ORM operation', async () => {
    expect((await post(t.app.baseUrl, '/orders', { email: 'tx@example.com', card: '4000000000000010', amount: 7 })).status).toBe(201);
    const request = await requestSpan(t.receiver, 'POST', '/orders');
    await waitForTrace(t.receiver, request, 7);

    // POST /orders                      (siblings listed by name, see childrenOf)
    // └── request handler
    //     └── typeorm.transaction
    //         ├── COMMIT              [transaction]
    //         ├── INSERT orders       [save Order]    (EntityManager.save)
    //         ├── START TRANSACTION   [transaction]
    //         └── UPDATE orders       [update Order]  (UpdateQueryBuilder.execute)
    expect(drawTree(t.receiver.spans, request)).toEqual([
      'POST /orders',
      '  request handler',
      '    typeorm.transaction',
      '      COMMIT [transaction]',
      '      INSERT orders [save Order]',
      '      START TRANSACTION [transaction]',
      '      UPDATE orders [update Order]',
    ]);
  });

  // The ESM twin has only the routes above: it proves the loader path, not every API again.
  if (!esm) test('query builders and raw queries: their SQL names the operation', async () => {
    await post(t.app.baseUrl, '/orders/search', { email: 'tx@example.com' });
    await post(t.app.baseUrl, '/orders/bulk', { email: 'bulk@example.com', card: '4000000000000028' });
    await fetch(`${t.app.baseUrl}/orders/1`, { method: 'DELETE' });
    await post(t.app.baseUrl, '/stats', { email: 'tx@example.com' });
    const trees: Record<string, string[]> = {};
    for (const [method, route] of [['POST', '/orders/search'], ['POST', '/orders/bulk'], ['DELETE', '/orders/:id'], ['POST', '/stats']] as const) {
      const request = await requestSpan(t.receiver, method, route);
      await waitForTrace(t.receiver, request, 3);
      trees[`${method} ${route}`] = drawTree(t.receiver.spans, request).slice(2);
    }
    //   request handler
    //   └── SELECT orders [getMany Order] | INSERT orders [insert Order] | DELETE orders [delete Order] | SELECT orders [query]
    expect(trees).toEqual({
      'POST /orders/search': ['    SELECT orders [getMany Order]'],
      'POST /orders/bulk': ['    INSERT orders [insert Order]'],
      'DELETE /orders/:id': ['    DELETE orders [delete Order]'],
      'POST /stats': ['    SELECT orders [query]'],
    });
  });

  test('no connect spans, no untraced startup noise, one CLIENT span per statement', async () => {
    const spans = t.receiver.spans;
    expect(spans.length).toBeGreaterThan(0);
    expect(spans.filter((s) => /connect/.test(s.name))).toEqual([]);
    // Schema synchronisation at startup ran dozens of statements outside any request.
    const roots = spans.filter((s) => s.parentSpanId === '');
    expect(roots.every((s) => s.kind === SERVER)).toBe(true);
    // Each statement is one CLIENT span (instrumentation-pg's), under the handler or a transaction, never a second db span.
    const clients = spans.filter((s) => s.kind === CLIENT);
    expect(new Set(clients.map((s) => s.scope.name))).toEqual(new Set(['@opentelemetry/instrumentation-pg']));
    const byId = new Map(spans.map((s) => [s.spanId, s] as const));
    expect(new Set(clients.map((s) => byId.get(s.parentSpanId)?.name))).toEqual(new Set(['request handler', 'typeorm.transaction']));
    expect(clients.every((s) => typeof s.attributes['o4o.db.orm.operation'] === 'string')).toBe(true);
  });
});

describe('a busy pool (size 1) under 50 concurrent requests', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startOrdersApp({ databaseUrl: postgres.url, env: { POOL_SIZE: '1' } });
  });
  afterAll(() => t?.stop());

  const concurrently = async (paths: string[]): Promise<number[]> => Promise.all(paths.map(async (p) => (await fetch(`${t.app.baseUrl}${p}`)).status));
  const requestsTo = (route: string): ReceivedSpan[] => t.receiver.spans.filter((s) => s.kind === SERVER && s.attributes['http.route'] === route);

  test('every query span sits in its own request\'s tree (TypeORM)', async () => {
    const statuses = await concurrently(Array.from({ length: 50 }, (_, i) => `/busy/${i}`));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await t.receiver.waitFor(() => requestsTo('/busy/:n').length === 50, 20_000, '50 request spans');
    await t.receiver.waitFor(() => t.receiver.spans.length >= 50 * 8, 20_000, 'all spans of 50 requests');

    // GET /busy/:n                      (siblings listed by name)
    // └── request handler
    //     ├── SELECT orders             [count Order]
    //     └── typeorm.transaction
    //         ├── COMMIT                [transaction]
    //         ├── SELECT                [query]
    //         ├── SELECT orders         [findOneBy Order]
    //         └── START TRANSACTION     [transaction]
    const expected = [
      'GET /busy/:n',
      '  request handler',
      '    SELECT orders [count Order]',
      '    typeorm.transaction',
      '      COMMIT [transaction]',
      '      SELECT [query]',
      '      SELECT orders [findOneBy Order]',
      '      START TRANSACTION [transaction]',
    ];
    const mismatched = requestsTo('/busy/:n').map((r) => drawTree(t.receiver.spans, r)).filter((tree) => JSON.stringify(tree) !== JSON.stringify(expected));
    expect(mismatched).toEqual([]);
  });

  test('every query span sits in its own request\'s tree (pg callbacks on the same pool)', async () => {
    const statuses = await concurrently(Array.from({ length: 50 }, (_, i) => `/raw-pool/${i}`));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await t.receiver.waitFor(() => requestsTo('/raw-pool/:n').length === 50, 20_000, '50 request spans');
    await t.receiver.waitFor(() => requestsTo('/raw-pool/:n').every((r) => t.receiver.spans.filter((s) => s.traceId === r.traceId).length >= 3), 20_000, 'all spans');
    // Give a wrongly parented span the time to arrive in someone else's trace.
    await new Promise((resolve) => setTimeout(resolve, 500));

    // GET /raw-pool/:n
    // └── request handler
    //     └── SELECT          (client.query callback after pool.connect waited for the only connection)
    const trees = requestsTo('/raw-pool/:n').map((r) => drawTree(t.receiver.spans, r));
    expect(trees.filter((tree) => JSON.stringify(tree) !== JSON.stringify(['GET /raw-pool/:n', '  request handler', '    SELECT']))).toEqual([]);
  });
});
