/**
 * The conformance table: the same service, driven by the same requests, under
 * the lean tracer (the default) and the SDK's (O4O_OTEL_TRACER=sdk) must deliver
 * the same telemetry: every trace's tree of span names, kinds, scopes,
 * attributes, events, links, status and dropped counts, the resource, and the
 * log records with the span each is correlated with. Ids, times and ports
 * differ between two runs and are left out or masked.
 *
 * Rows: Express + TypeORM on SQLite (CommonJS and ESM), and on PostgreSQL through
 * pg; each row has routers, a 404, a transaction with two winston lines, fetch
 * to itself (undici, W3C propagation), raw SQL, the app's own spans with a link,
 * an event, an exception, attributes past OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT and a
 * second end(), and a handler that throws.
 */
import { startPostgres, type PostgresServer, type ReceivedLogRecord, type ReceivedSpan } from '@o4o/test-utils';
import { SERVER, startApp, type AppUnderTest } from './helpers';

const REQUESTS: readonly [string, string, unknown?][] = [
  ['GET', '/items/1'],
  ['GET', '/items/999'],
  ['POST', '/orders', { customer: 'c-1' }],
  ['GET', '/outbound'],
  ['GET', '/raw-sql'],
  ['GET', '/app-spans'],
  ['GET', '/fail'],
];
/** One SERVER span per request, and one more for the request /outbound makes to the app itself. */
const SERVER_SPANS = REQUESTS.length + 1;

type Attributes = ReceivedSpan['attributes'];

interface Delivered {
  readonly spans: readonly ReceivedSpan[];
  readonly logs: readonly ReceivedLogRecord[];
  readonly startupLine: string;
}

async function deliver(script: string, esm: boolean, tracer: 'lean' | 'sdk', databaseUrl: string | undefined): Promise<Delivered> {
  const t: AppUnderTest = await startApp({ script, esm, env: { O4O_OTEL_TRACER: tracer, OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '10', DATABASE_URL: databaseUrl } });
  try {
    for (const [method, path, body] of REQUESTS) {
      await fetch(`${t.app.baseUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    }
    await t.receiver.waitFor(() => t.receiver.spans.filter((s) => s.kind === SERVER).length >= SERVER_SPANS && t.receiver.logRecords.length >= 2, 20_000, `${SERVER_SPANS} server spans and 2 log records`);
    // What may still be on its way (a batch that just closed) has its delay to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const startupLine = t.app.diagnostics().find((line) => line.includes('started service.name')) ?? '';
    return { spans: [...t.receiver.spans], logs: [...t.receiver.logRecords], startupLine };
  } finally {
    await t.stop();
  }
}

/** Values that differ from run to run: ports, peer addresses' ports, stack traces (line numbers of the tracer itself may appear). */
function masked(attributes: Attributes, ports: ReadonlySet<string>): Attributes {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'network.peer.port' || key === 'server.port' || key === 'client.port' || key === 'net.peer.port') out[key] = '<port>';
    else if (key === 'exception.stacktrace') out[key] = typeof value === 'string' && value.length > 0 ? '<stack>' : value;
    else if (typeof value === 'string') out[key] = [...ports].reduce((v, port) => v.split(`:${port}`).join(':<port>'), value);
    else out[key] = value;
  }
  return out as Attributes;
}

/** Each trace as a tree of what must match, children in a canonical order; the list sorted. */
function canonicalTraces(spans: readonly ReceivedSpan[]): unknown[] {
  const ports = new Set(spans.map((s) => s.attributes['server.port']).filter((p) => p !== undefined).map(String));
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const node = (span: ReceivedSpan, trace: readonly ReceivedSpan[]): unknown => {
    const children = trace
      .filter((s) => s.parentSpanId === span.spanId)
      .map((s) => node(s, trace))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return {
      name: span.name,
      kind: span.kind,
      scope: `${span.scope.name}@${span.scope.version ?? ''}`,
      attributes: masked(span.attributes, ports),
      events: span.events.map((e) => ({ name: e.name, attributes: masked(e.attributes, ports) })),
      // A link is to a span of the same run: named by that span's name.
      links: span.links.map((l) => ({ to: spans.find((s) => s.spanId === l.spanId)?.name ?? 'elsewhere', sameTrace: l.traceId === span.traceId, attributes: l.attributes })),
      status: span.status,
      dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
      children,
    };
  };
  const trees: unknown[] = [];
  for (const trace of byTrace.values()) {
    const ids = new Set(trace.map((s) => s.spanId));
    for (const root of trace.filter((s) => s.parentSpanId === '' || !ids.has(s.parentSpanId))) trees.push(node(root, trace));
  }
  return trees.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function canonicalLogs(delivered: Delivered): unknown[] {
  return delivered.logs
    .map((log) => ({
      severity: log.severityText,
      body: log.body,
      attributes: log.attributes,
      scope: log.scope.name,
      span: delivered.spans.find((s) => s.spanId === log.spanId && s.traceId === log.traceId)?.name ?? 'none',
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The resource, without what is one process's own (its pid and instance id, whose presence is kept). */
function resourceOf(delivered: Delivered): Attributes {
  const { 'process.pid': pid, 'service.instance.id': instance, ...rest } = delivered.spans[0]?.resource ?? {};
  return { ...rest, 'process.pid': typeof pid, 'service.instance.id': typeof instance };
}

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.destroy());

describe.each([
  ['Express + TypeORM on SQLite, CommonJS (--require)', 'conformance-app.js', false, false],
  ['Express + TypeORM on SQLite, ESM (--import)', 'conformance-app.mjs', true, false],
  ['Express + TypeORM on PostgreSQL through pg, CommonJS', 'conformance-app.js', false, true],
])('%s', (_label, script, esm, onPostgres) => {
  let lean: Delivered;
  let sdk: Delivered;
  beforeAll(async () => {
    lean = await deliver(script, esm, 'lean', onPostgres ? postgres.url : undefined);
    sdk = await deliver(script, esm, 'sdk', onPostgres ? postgres.url : undefined);
  }, 120_000);

  test('each run used the tracer it was given', () => {
    expect(lean.startupLine).toContain('tracer=lean');
    expect(sdk.startupLine).toContain('tracer=sdk');
  });

  test('the traces have every kind of span the table is about', () => {
    const scopes = new Set(lean.spans.map((s) => s.scope.name));
    expect([...scopes].sort()).toEqual(
      expect.arrayContaining(['@o4o/otel/http-server', '@o4o/otel/express', '@opentelemetry/instrumentation-undici', 'conformance-app', ...(onPostgres ? ['@opentelemetry/instrumentation-pg'] : [])]),
    );
    const appSpan = lean.spans.find((s) => s.name === 'price lookup')!;
    expect(appSpan.droppedAttributesCount).toBeGreaterThan(0);
    expect(appSpan.links).toHaveLength(1);
    expect(lean.spans.find((s) => s.name === 'compute price')!.events.map((e) => e.name)).toEqual(['exception']);
    // fetch to itself: the inner request continues the outer trace.
    const outbound = lean.spans.find((s) => s.name === 'GET /outbound')!;
    expect(lean.spans.filter((s) => s.traceId === outbound.traceId && s.kind === SERVER)).toHaveLength(2);
  });

  test('both tracers deliver the same traces', () => {
    const leanTraces = canonicalTraces(lean.spans);
    expect(leanTraces.length).toBeGreaterThanOrEqual(REQUESTS.length);
    expect(leanTraces).toEqual(canonicalTraces(sdk.spans));
  });

  test('both tracers deliver the same log records, correlated with the same spans', () => {
    const leanLogs = canonicalLogs(lean);
    expect(leanLogs.filter((l) => (l as { span: string }).span !== 'none').length).toBeGreaterThanOrEqual(2);
    expect(leanLogs).toEqual(canonicalLogs(sdk));
  });

  test('both tracers describe the same resource', () => {
    expect(resourceOf(lean)['service.name']).toBe('fixture-app');
    expect(resourceOf(lean)).toEqual(resourceOf(sdk));
  });
});
