/**
 * No customer data in database telemetry by default (O4O_OTEL_DB_CAPTURE_PARAMETERS
 * unset): orders holding an e-mail address and a card number are written, searched,
 * counted and looked up in vain; then every attribute, event, name and status of
 * every span is scanned for those values. With the opt-in, the same scan finds them,
 * which shows the scan looks where the values would be.
 */
import { randomBytes } from 'node:crypto';
import { startPostgres, type PostgresServer, type ReceivedSpan } from '@o4o/test-utils';
import type { AppUnderTest } from './helpers';
import { post, requestSpan, startOrdersApp } from './db-helpers';

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.destroy());

/** Everything a span carries that a backend would store, as one string. */
const spanText = (s: ReceivedSpan): string => JSON.stringify([s.name, s.attributes, s.events, s.status]);

async function exercise(t: AppUnderTest, email: string, card: string): Promise<void> {
  const base = t.app.baseUrl;
  expect((await post(base, '/orders', { email, card, amount: 42 })).status).toBe(201);
  expect((await post(base, '/orders/bulk', { email, card })).status).toBe(201);
  expect((await post(base, '/orders/search', { email })).status).toBe(200);
  expect((await post(base, '/stats', { email })).status).toBe(200);
  // findOneByOrFail's error message quotes the searched e-mail address.
  expect((await post(base, '/orders/lookup', { email: `missing-${email}` })).status).toBe(404);
  // PostgreSQL refuses the e-mail address as an integer id, quoting it in its error message.
  expect([200, 400]).toContain((await post(base, '/orders/by-id', { email })).status);
  for (const route of ['/orders', '/orders/bulk', '/orders/search', '/stats', '/orders/lookup', '/orders/by-id']) await requestSpan(t.receiver, 'POST', route);
  await new Promise((resolve) => setTimeout(resolve, 500));
}

describe.each([
  ['PostgreSQL', true],
  ['SQLite', false],
])('%s', (_label, onPostgres) => {
  test('no e-mail address or card number in any span attribute, event, name or status', async () => {
    const email = `jane.${randomBytes(3).toString('hex')}@example.com`;
    const card = `4111${Date.now().toString().slice(-12)}`;
    const t = await startOrdersApp({ databaseUrl: onPostgres ? postgres.url : undefined });
    try {
      await exercise(t, email, card);
      const spans = t.receiver.spans;
      // The database spans are there, in every request's trace: otherwise there would be nothing to leak.
      const dbTraces = new Set(spans.filter((s) => s.attributes['db.system.name'] !== undefined).map((s) => s.traceId));
      const requests = spans.filter((s) => s.parentSpanId === '' && s.name.startsWith('POST '));
      expect(requests.length).toBeGreaterThanOrEqual(6);
      expect(requests.filter((r) => !dbTraces.has(r.traceId)).map((r) => r.name)).toEqual([]);
      // The lookup ran: its statement names the ORM call whose error message quotes the address.
      expect(spans.some((s) => s.name === 'SELECT orders' && s.attributes['o4o.db.orm.operation'] === 'findOneByOrFail')).toBe(true);
      if (onPostgres) {
        // The failed query's span still says what went wrong: SQLSTATE 22P02, invalid text representation.
        const failed = spans.find((s) => s.name === 'SELECT orders' && s.status.code === 2);
        expect(failed?.status.message).toBe('postgresql error 22P02');
      }
      const leaks = spans.filter((s) => spanText(s).includes(email) || spanText(s).includes(card) || spanText(s).includes(email.split('@')[0]!));
      expect(leaks.map((s) => s.name)).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  test('O4O_OTEL_DB_CAPTURE_PARAMETERS=true adds the bound values to SQL spans', async () => {
    const email = `opt.in.${randomBytes(3).toString('hex')}@example.com`;
    const t = await startOrdersApp({ databaseUrl: onPostgres ? postgres.url : undefined, env: { O4O_OTEL_DB_CAPTURE_PARAMETERS: 'true' } });
    try {
      await exercise(t, email, '4000000000000077');
      const insert = t.receiver.spans.find((s) => s.name === 'INSERT orders' && Object.values(s.attributes).includes(email));
      expect(insert).toBeDefined();
      expect(Object.entries(insert!.attributes).filter(([k]) => k.startsWith('db.query.parameter.')).map(([, v]) => v)).toEqual(expect.arrayContaining([email, '4000000000000077']));
    } finally {
      await t.stop();
    }
  });
});
