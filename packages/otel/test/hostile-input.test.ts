/**
 * Input an app passes on from its users, under the preload (CommonJS and ESM):
 * a megabyte adversarial string and a graph of shared references logged through
 * winston complete with the redactor's work within its budget; secrets in query
 * strings and in exception messages never reach an exported span.
 */
import { scrapeMetrics } from '@o4o/test-utils';
import { startApp, type AppUnderTest } from './helpers';

const MAX_CHARS = 262_144;
const MAX_VALUES = 10_000;

const asText = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

async function counter(t: AppUnderTest, name: string): Promise<number> {
  const { samples } = await scrapeMetrics(t.metricsUrl);
  return samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
}

describe.each([
  ['CommonJS', 'hostile-input-app.js', false],
  ['ESM', 'hostile-input-app.mjs', true],
])('%s app logging and serving hostile input', (_kind, script, esm) => {
  let t: AppUnderTest;

  beforeAll(async () => {
    t = await startApp({ script, esm, env: { APP_QUIET: '1', O4O_OTEL_LOG_REDACT_MAX_CHARS: String(MAX_CHARS) } });
  });
  afterAll(() => t.stop());

  test('a 1 MB string built to make a backtracking e-mail pattern explode is logged and the request completes', async () => {
    const q = `${'a.'.repeat(500_000)}@`;
    const response = await fetch(`${t.app.baseUrl}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { length: number }).length).toBe(q.length);
    await t.receiver.waitFor(() => t.receiver.logRecords.some((r) => r.body === 'search'), 15_000, 'the search log record');
    const records = t.receiver.logRecords.length;
    // Work is counted over every record so far; each record stays within its budget.
    expect(await counter(t, 'o4o_telemetry_redaction_chars_total')).toBeLessThanOrEqual(MAX_CHARS * records);
    expect(await counter(t, 'o4o_telemetry_redaction_limited_total')).toBeGreaterThanOrEqual(1);
    const record = t.receiver.logRecords.find((r) => r.body === 'search')!;
    expect(String(record.attributes.q).length).toBeLessThan(q.length);
  });

  test('a graph of shared references (4 keys x 14 levels) costs its size, not its 4^14 paths, and its secret is redacted', async () => {
    const before = await counter(t, 'o4o_telemetry_redaction_values_total');
    expect((await fetch(`${t.app.baseUrl}/shared`)).status).toBe(200);
    await t.receiver.waitFor(() => t.receiver.logRecords.some((r) => r.body === 'shared'), 15_000, 'the shared log record');
    const visited = (await counter(t, 'o4o_telemetry_redaction_values_total')) - before;
    expect(visited).toBeGreaterThan(0);
    expect(visited).toBeLessThan(100);
    expect(visited).toBeLessThan(MAX_VALUES);
    expect(asText(t.receiver.logRecords.find((r) => r.body === 'shared'))).not.toContain('tower-secret-hunter2');
  });

  test('secrets in the query string are not in any span', async () => {
    const response = await fetch(`${t.app.baseUrl}/items?page=2&token=qs-token-123&api_key=qs-key-456&Signature=qs-sig-789`);
    expect(response.status).toBe(200);
    await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.attributes['http.route'] === '/items'), 15_000, 'the /items span');
    const text = asText(t.receiver.spans);
    for (const secret of ['qs-token-123', 'qs-key-456', 'qs-sig-789']) expect(text).not.toContain(secret);
    // The rest of the query is kept: it is what the on-call engineer needs.
    expect(text).toContain('page=2');
  });

  test('an exception quoting an e-mail and a token is recorded without them', async () => {
    expect((await fetch(`${t.app.baseUrl}/customers/7`)).status).toBe(500);
    await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.attributes['http.route'] === '/customers/:id'), 15_000, 'the failing span');
    const failing = t.receiver.spans.filter((s) => s.traceId === t.receiver.spans.find((x) => x.attributes['http.route'] === '/customers/:id')!.traceId);
    const text = asText(failing);
    // The error was recorded (the check below is not vacuous) ...
    expect(text).toContain('duplicate key value');
    // ... without the customer's address or the token.
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('tok-secret-42');
  });
});
