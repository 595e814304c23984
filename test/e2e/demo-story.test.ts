/**
 * The shop keeps selling through a long run: its restock job refills products
 * that run low (never the limited edition), and each run is a background root
 * span of its own with its SQL beneath it, not work of some request.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from '@o4o/test-utils';
import { eventually, jaegerSearch, tag } from '../src/backends';
import { startShop, type RunningShop } from '../src/shop';

const SERVICE = `restock-${randomBytes(3).toString('hex')}`;
const HAND_CREAM = 6; // stock 25
const TEAPOT = 7; // the limited edition, stock 5

let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop({
    serviceName: SERVICE,
    port: await freePort(),
    metricsPort: await freePort(),
    env: { SHOP_RESTOCK_INTERVAL_MS: '500' },
    providerEnv: { PAYMENT_FAILURE_RATE: '0' },
  });
}, 60_000);
afterAll(() => shop?.stop());

async function order(productId: number, quantity: number): Promise<number> {
  const response = await fetch(`${shop.baseUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 1, items: [{ productId, quantity }], paymentMethod: 'card' }),
  });
  await response.body?.cancel();
  return response.status;
}

async function stock(productId: number): Promise<number> {
  return ((await (await fetch(`${shop.baseUrl}/products/${productId}`)).json()) as { stock: number }).stock;
}

test('a product that runs low is refilled; the limited edition sells out for good', async () => {
  expect(await order(HAND_CREAM, 20)).toBe(201);
  expect(await order(TEAPOT, 5)).toBe(201);
  await eventually(() => stock(HAND_CREAM), (s) => s === 100, 'hand cream refilled to 100', 15_000);
  // Several restock runs later, the teapot is still gone and orders for it answer 409.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(await stock(TEAPOT)).toBe(0);
  expect(await order(TEAPOT, 1)).toBe(409);
  expect(await order(HAND_CREAM, 1)).toBe(201);
});

test('each restock run is a root span with its SQL beneath it', async () => {
  const traces = await eventually(
    () => jaegerSearch(SERVICE, {}, 200, '15m'),
    (ts) => ts.some((t) => t.spans.some((s) => s.operationName === 'restock' && s.references.length === 0) && t.spans.length > 1),
    'a restock trace with its SQL',
    60_000,
  );
  const restock = traces.find((t) => t.spans.some((s) => s.operationName === 'restock' && s.references.length === 0) && t.spans.length > 1)!;
  const root = restock.spans.find((s) => s.operationName === 'restock')!;
  const children = restock.spans.filter((s) => s.references.some((r) => r.spanID === root.spanID));
  expect(children.length).toBeGreaterThan(0);
  // Nothing of a request in it.
  expect(restock.spans.some((s) => /^(GET|POST) /.test(s.operationName))).toBe(false);
});

test('an out-of-stock checkout (409) is not an error trace, and its transaction says it was rolled back', async () => {
  // The teapot sold out in the first test; this order is refused.
  expect(await order(TEAPOT, 1)).toBe(409);
  const traces = await eventually(
    () => jaegerSearch(SERVICE, { 'http.response.status_code': '409' }, 20, '15m'),
    (ts) => ts.some((t) => t.spans.some((s) => s.operationName === 'typeorm.transaction')),
    'a 409 checkout trace',
    60_000,
  );
  const refused = traces.find((t) => t.spans.some((s) => s.operationName === 'typeorm.transaction'))!;
  // What `o4o-otel find --errors` looks for: no span of it is an error.
  expect(refused.spans.filter((s) => tag(s, 'error') === true || tag(s, 'otel.status_code') === 'ERROR').map((s) => s.operationName)).toEqual([]);
  const tx = refused.spans.find((s) => s.operationName === 'typeorm.transaction')!;
  expect(tag(tx, 'o4o.db.transaction.outcome')).toBe('rolled_back');
  expect(tag(tx, 'o4o.db.transaction.rollback_cause')).toBe('CheckoutError');
});
