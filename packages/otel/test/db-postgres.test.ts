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

  test('a repository read: request, then the ORM operation, then its SQL', async () => {
    await post(t.app.baseUrl, '/orders', { email: 'reader@example.com', card: '4000000000000002', amount: 3 });
    expect((await fetch(`${t.app.baseUrl}/orders/1`)).status).toBe(200);
    const request = await requestSpan(t.receiver, 'GET', '/orders/:id');
    await waitForTrace(t.receiver, request, 4);

    // GET /orders/:id                 SERVER    @o4o/otel/http-server
    // └── request handler             INTERNAL  @o4o/otel/express
    //     └── typeorm.findOneBy Order INTERNAL  @o4o/otel/typeorm
    //         └── SELECT orders       CLIENT    instrumentation-pg
    expect(drawTree(t.receiver.spans, request)).toEqual(['GET /orders/:id', '  request handler', '    typeorm.findOneBy Order', '      SELECT orders']);
    const [handler] = childrenOf(t.receiver.spans, request);
    const [orm] = childrenOf(t.receiver.spans, handler!);
    const [sql] = childrenOf(t.receiver.spans, orm!);
    expect(orm).toMatchObject({ kind: INTERNAL, scope: { name: '@o4o/otel/typeorm' } });
    expect(orm!.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'findOneBy',
      'db.collection.name': 'orders',
      'db.namespace': postgres.database,
      'db.query.summary': 'findOneBy orders',
    });
    expect(sql).toMatchObject({ kind: CLIENT, scope: { name: '@opentelemetry/instrumentation-pg' } });
    expect(sql!.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.query.summary': 'SELECT orders', 'db.collection.name': 'orders' });
    expect(sql!.attributes['db.query.text']).toMatch(/^SELECT .* FROM "orders" "Order" WHERE .*\$1/);
  });

  test('a transaction: its statements and ORM operations beneath it', async () => {
    expect((await post(t.app.baseUrl, '/orders', { email: 'tx@example.com', card: '4000000000000010', amount: 7 })).status).toBe(201);
    const request = await requestSpan(t.receiver, 'POST', '/orders');
    await waitForTrace(t.receiver, request, 9);

    // POST /orders                      (siblings listed by name, see childrenOf)
    // └── request handler
    //     └── typeorm.transaction
    //         ├── COMMIT
    //         ├── START TRANSACTION
    //         ├── typeorm.save Order      (EntityManager.save)
    //         │   └── INSERT orders
    //         └── typeorm.update Order    (UpdateQueryBuilder.execute)
    //             └── UPDATE orders
    expect(drawTree(t.receiver.spans, request)).toEqual([
      'POST /orders',
      '  request handler',
      '    typeorm.transaction',
      '      COMMIT',
      '      START TRANSACTION',
      '      typeorm.save Order',
      '        INSERT orders',
      '      typeorm.update Order',
      '        UPDATE orders',
    ]);
  });

  // The ESM twin has only the routes above: it proves the loader path, not every API again.
  if (!esm) test('query builders and raw queries each get one ORM span over their SQL', async () => {
    await post(t.app.baseUrl, '/orders/search', { email: 'tx@example.com' });
    await post(t.app.baseUrl, '/orders/bulk', { email: 'bulk@example.com', card: '4000000000000028' });
    await fetch(`${t.app.baseUrl}/orders/1`, { method: 'DELETE' });
    await post(t.app.baseUrl, '/stats', { email: 'tx@example.com' });
    const trees: Record<string, string[]> = {};
    for (const [method, route] of [['POST', '/orders/search'], ['POST', '/orders/bulk'], ['DELETE', '/orders/:id'], ['POST', '/stats']] as const) {
      const request = await requestSpan(t.receiver, method, route);
      await waitForTrace(t.receiver, request, 4);
      trees[`${method} ${route}`] = drawTree(t.receiver.spans, request).slice(2);
    }
    //   request handler
    //   └── typeorm.getMany Order | typeorm.insert Order | typeorm.delete Order | typeorm.query
    //       └── SELECT orders     | INSERT orders        | DELETE orders        | SELECT orders
    expect(trees).toEqual({
      'POST /orders/search': ['    typeorm.getMany Order', '      SELECT orders'],
      'POST /orders/bulk': ['    typeorm.insert Order', '      INSERT orders'],
      'DELETE /orders/:id': ['    typeorm.delete Order', '      DELETE orders'],
      'POST /stats': ['    typeorm.query', '      SELECT orders'],
    });
  });

  test('no connect spans, no untraced startup noise, one CLIENT span per statement', async () => {
    const spans = t.receiver.spans;
    expect(spans.length).toBeGreaterThan(0);
    expect(spans.filter((s) => /connect/.test(s.name))).toEqual([]);
    // Schema synchronisation at startup ran dozens of statements outside any request.
    const roots = spans.filter((s) => s.parentSpanId === '');
    expect(roots.every((s) => s.kind === SERVER)).toBe(true);
    // Each statement is one CLIENT span (instrumentation-pg's), under an ORM span, never a second db span.
    const clients = spans.filter((s) => s.kind === CLIENT);
    expect(new Set(clients.map((s) => s.scope.name))).toEqual(new Set(['@opentelemetry/instrumentation-pg']));
    const byId = new Map(spans.map((s) => [s.spanId, s] as const));
    expect(clients.every((s) => byId.get(s.parentSpanId)?.scope.name === '@o4o/otel/typeorm')).toBe(true);
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
    await t.receiver.waitFor(() => t.receiver.spans.length >= 50 * 11, 20_000, 'all spans of 50 requests');

    // GET /busy/:n                      (siblings listed by name)
    // └── request handler
    //     ├── typeorm.count Order
    //     │   └── SELECT orders
    //     └── typeorm.transaction
    //         ├── COMMIT
    //         ├── START TRANSACTION
    //         ├── typeorm.findOneBy Order
    //         │   └── SELECT orders
    //         └── typeorm.query
    //             └── SELECT
    const expected = [
      'GET /busy/:n',
      '  request handler',
      '    typeorm.count Order',
      '      SELECT orders',
      '    typeorm.transaction',
      '      COMMIT',
      '      START TRANSACTION',
      '      typeorm.findOneBy Order',
      '        SELECT orders',
      '      typeorm.query',
      '        SELECT',
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
