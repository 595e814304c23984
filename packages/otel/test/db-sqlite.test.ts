/**
 * Database tracing on SQLite (better-sqlite3), the embedded default for local
 * runs: the same tree as on PostgreSQL, the SQL spans coming from our TypeORM
 * instrumentation since better-sqlite3 has none of its own.
 */
import type { AppUnderTest } from './helpers';
import { CLIENT, INTERNAL, childrenOf, drawTree, post, requestSpan, startOrdersApp, waitForTrace } from './db-helpers';

// The last row runs with the other context storage of the Node under test, so both come out with
// the same trees on every runtime: on Node 22, Node 24's AsyncContextFrame (an option the README
// describes); on Node 24 and later, where that is the default and Node 26 refuses the experimental
// flag, the promise hooks Node 22 uses by default.
const OTHER_CONTEXT_STORAGE = Number(process.versions.node.split('.')[0]) >= 24 ? '--no-async-context-frame' : '--experimental-async-context-frame';
describe.each([
  ['TypeORM 1.x, CommonJS (--require)', 'typeorm', false, []],
  ['TypeORM 0.3.x, CommonJS (--require)', 'typeorm-0.3', false, []],
  ['TypeORM 1.x, ESM (--import)', 'typeorm', true, []],
  [`TypeORM 1.x, CommonJS, ${OTHER_CONTEXT_STORAGE}`, 'typeorm', false, [OTHER_CONTEXT_STORAGE]],
])('%s on SQLite', (_label, typeorm, esm, nodeArgs) => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startOrdersApp({ typeorm, esm, nodeArgs });
  });
  afterAll(() => t?.stop());

  test('a repository read: request, then its SQL, which names the ORM operation', async () => {
    await post(t.app.baseUrl, '/orders', { email: 'reader@example.com', card: '4000000000000002', amount: 3 });
    expect((await fetch(`${t.app.baseUrl}/orders/1`)).status).toBe(200);
    const request = await requestSpan(t.receiver, 'GET', '/orders/:id');
    await waitForTrace(t.receiver, request, 3);

    // GET /orders/:id                      SERVER    @o4o/otel/http-server
    // └── request handler                  INTERNAL  @o4o/otel/express
    //     └── SELECT orders                CLIENT    @o4o/otel/typeorm (better-sqlite3 query runner)
    //         o4o.db.orm.operation=findOneBy o4o.db.orm.entity=Order
    expect(drawTree(t.receiver.spans, request)).toEqual(['GET /orders/:id', '  request handler', '    SELECT orders [findOneBy Order]']);
    const [sql] = childrenOf(t.receiver.spans, childrenOf(t.receiver.spans, request)[0]!);
    expect(sql).toMatchObject({
      kind: CLIENT,
      attributes: { 'db.system.name': 'sqlite', 'db.query.summary': 'SELECT orders', 'db.operation.name': 'SELECT', 'o4o.db.orm.operation': 'findOneBy', 'o4o.db.orm.entity': 'Order' },
    });
    // No span for the repository call: it only wraps its statement.
    expect(t.receiver.spans.filter((s) => s.traceId === request.traceId && s.kind === INTERNAL).map((s) => s.name)).toEqual(['request handler']);
    expect(sql!.attributes['db.query.text']).toMatch(/FROM "orders" "Order" WHERE .*\?/);
  });

  test('a transaction: its statements beneath it, each naming its ORM operation', async () => {
    expect((await post(t.app.baseUrl, '/orders', { email: 'tx@example.com', card: '4000000000000010', amount: 7 })).status).toBe(201);
    const request = await requestSpan(t.receiver, 'POST', '/orders');
    await waitForTrace(t.receiver, request, 8);

    // POST /orders                      (siblings listed by name)
    // └── request handler
    //     └── typeorm.transaction
    //         ├── BEGIN TRANSACTION     [transaction]
    //         ├── COMMIT                [transaction]
    //         ├── INSERT orders         [save Order]    (EntityManager.save)
    //         ├── SELECT orders         [save Order]    (SQLite has no RETURNING here: TypeORM reads back defaults)
    //         └── UPDATE orders         [update Order]  (UpdateQueryBuilder.execute)
    expect(drawTree(t.receiver.spans, request)).toEqual([
      'POST /orders',
      '  request handler',
      '    typeorm.transaction',
      '      BEGIN TRANSACTION [transaction]',
      '      COMMIT [transaction]',
      '      INSERT orders [save Order]',
      '      SELECT orders [save Order]',
      '      UPDATE orders [update Order]',
    ]);
  });

  test('the statements of a transaction start in the order they ran, none before its parent', async () => {
    expect((await post(t.app.baseUrl, '/orders', { email: 'clock@example.com', card: '4000000000000028', amount: 2 })).status).toBe(201);
    const request = await requestSpan(t.receiver, 'POST', '/orders');
    await waitForTrace(t.receiver, request, 8);
    const spans = t.receiver.spans.filter((s) => s.traceId === request.traceId);

    // A transaction takes a few milliseconds: with millisecond start times its five
    // statements would share two or three instants and sort in any order.
    const statements = spans.filter((s) => s.kind === CLIENT).sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
    expect(statements.map((s) => s.name)).toEqual(['BEGIN TRANSACTION', 'INSERT orders', 'SELECT orders', 'UPDATE orders', 'COMMIT']);
    for (let i = 1; i < statements.length; i += 1) expect(statements[i]!.startTimeUnixNano > statements[i - 1]!.startTimeUnixNano).toBe(true);

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const startsBeforeParent = spans.filter((s) => byId.has(s.parentSpanId) && s.startTimeUnixNano < byId.get(s.parentSpanId)!.startTimeUnixNano);
    expect(startsBeforeParent.map((s) => s.name)).toEqual([]);
  });

  test('a transaction the app rolls back with its own error is not an error span; one the database fails is', async () => {
    expect((await post(t.app.baseUrl, '/orders/out-of-stock', {})).status).toBe(409);
    expect((await post(t.app.baseUrl, '/orders/broken', {})).status).toBe(500);
    const rolledBack = await requestSpan(t.receiver, 'POST', '/orders/out-of-stock');
    const broken = await requestSpan(t.receiver, 'POST', '/orders/broken');
    await waitForTrace(t.receiver, rolledBack, 4);
    await waitForTrace(t.receiver, broken, 3);
    const inTrace = (root: { traceId: string }) => t.receiver.spans.filter((s) => s.traceId === root.traceId);

    // The 409: nothing in its trace is an error (what `o4o-otel find --errors` and the error-rate alert count).
    expect(inTrace(rolledBack).filter((s) => s.status.code === 2).map((s) => s.name)).toEqual([]);
    const tx = inTrace(rolledBack).find((s) => s.name === 'typeorm.transaction')!;
    expect(tx.attributes).toMatchObject({ 'o4o.db.transaction.outcome': 'rolled_back', 'o4o.db.transaction.rollback_cause': 'OutOfStock' });
    expect(tx.events).toEqual([expect.objectContaining({ name: 'rollback', attributes: { 'exception.type': 'OutOfStock', message: 'rolled back: the application threw OutOfStock' } })]);
    // Readable and value-free: the error's message quotes a customer, and is not recorded.
    expect(JSON.stringify(inTrace(rolledBack), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('late@example.com');

    // The 500: the database failed, and the transaction says so.
    const failed = inTrace(broken).find((s) => s.name === 'typeorm.transaction')!;
    expect(failed.status.code).toBe(2);
    // TypeORM 1.x wraps the driver's error; 0.3 with better-sqlite3 lets it through.
    expect(failed.attributes).toMatchObject({ 'o4o.db.transaction.outcome': 'failed', 'error.type': expect.stringMatching(/^(QueryFailedError|SqliteError)$/) });
  });

  test('schema synchronisation and ORM work at startup are not traced', () => {
    expect(t.receiver.spans.filter((s) => s.parentSpanId === '').every((s) => s.kind === 2)).toBe(true);
  });
});
