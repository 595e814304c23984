/**
 * Drives realistic shop traffic for the demo and the end-to-end tests: browsing,
 * registrations, checkouts (some paid by failing cards), and popular products
 * running out of stock. Prints one progress line every few seconds and a JSON
 * summary at the end.
 *
 *   node dist/traffic.js --url http://127.0.0.1:3000 --seconds 30 --rate 20
 */
import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';

interface Summary {
  requests: number;
  byStatus: Record<string, number>;
  ordersConfirmed: number;
  ordersFailed: number;
  outOfStock: number;
  orderIds: number[];
  errors: number;
}

const METHODS = ['card', 'card', 'card', 'bank_transfer', 'easy_pay'];

async function call(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, body };
}

export async function driveTraffic(baseUrl: string, seconds: number, rate: number, log: (line: string) => void = () => {}): Promise<Summary> {
  const summary: Summary = { requests: 0, byStatus: {}, ordersConfirmed: 0, ordersFailed: 0, outOfStock: 0, orderIds: [], errors: 0 };
  const count = (status: number): void => {
    summary.requests += 1;
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
  };
  let userIds = [1, 2, 3, 4, 5, 6];
  const json = { 'content-type': 'application/json' };

  const oneVisit = async (): Promise<void> => {
    const roll = Math.random();
    if (roll < 0.45) {
      count((await call(`${baseUrl}/products${Math.random() < 0.5 ? '?category=kitchen' : ''}`)).status);
      count((await call(`${baseUrl}/products/${randomInt(1, 9)}`)).status);
    } else if (roll < 0.55) {
      const role = ['customer', 'customer', 'business', 'affiliate'][randomInt(0, 4)];
      const r = await call(`${baseUrl}/users`, { method: 'POST', headers: json, body: JSON.stringify({ email: `visitor-${Date.now()}-${randomInt(1e9)}@example.com`, name: 'Visitor', role }) });
      count(r.status);
      if (r.status === 201) userIds = [...userIds.slice(-50), Number(r.body.id)];
    } else {
      // The limited teapot (id 7) sells out early: stock running out is part of the story.
      const productId = Math.random() < 0.2 ? 7 : randomInt(1, 9);
      const r = await call(`${baseUrl}/orders`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ userId: userIds[randomInt(0, userIds.length)], items: [{ productId, quantity: randomInt(1, 3) }], paymentMethod: METHODS[randomInt(0, METHODS.length)] }),
      });
      count(r.status);
      if (r.status === 201) {
        summary.ordersConfirmed += 1;
        summary.orderIds.push(Number(r.body.id));
      } else if (r.status === 402 || r.status === 502) summary.ordersFailed += 1;
      else if (r.status === 409) summary.outOfStock += 1;
      if (typeof r.body.id === 'number') count((await call(`${baseUrl}/orders/${r.body.id}`)).status);
    }
  };

  const deadline = Date.now() + seconds * 1000;
  const inFlight = new Set<Promise<void>>();
  let lastReport = Date.now();
  while (Date.now() < deadline) {
    const visit = oneVisit()
      .catch(() => {
        summary.errors += 1;
      })
      .finally(() => inFlight.delete(visit));
    inFlight.add(visit);
    if (inFlight.size > 64) await Promise.race(inFlight);
    await new Promise((r) => setTimeout(r, 1000 / rate));
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      log(`traffic: ${summary.requests} requests, ${summary.ordersConfirmed} orders confirmed, ${summary.ordersFailed} payments failed, ${summary.outOfStock} out of stock`);
    }
  }
  await Promise.all(inFlight);
  return summary;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:3000' }, seconds: { type: 'string', default: '30' }, rate: { type: 'string', default: '20' } } });
  driveTraffic(values.url!, Number(values.seconds), Number(values.rate), (line) => process.stderr.write(`${line}\n`))
    .then((summary) => process.stdout.write(`${JSON.stringify(summary)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`traffic failed: ${String(error)}\n`);
      process.exit(1);
    });
}
