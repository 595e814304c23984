/**
 * Jaeger keeps traces in the search node (Elasticsearch 7.17), not in memory:
 * a trace sent through the collector is still found after Jaeger restarts, by
 * its id and by its order.id, with the o4o-otel CLI as on-call would look.
 *
 *   jaeger-durable-<run>  POST /orders        SERVER  order.id=<order>
 *   └─ jaeger-durable-<run>  charge card      CLIENT
 */
import { randomBytes } from 'node:crypto';
import { eventually, requireStack, search } from '../src/backends';
import { o4oOtel, type CliRun } from '../src/o4o-cli';
import { STACK } from '../src/stack';
import { restartServices, servicePid } from '../src/stack-control';
import { postOtlpJson, str, tracesRequest } from '../src/otlp-json';

const RUN = randomBytes(4).toString('hex');
const SERVICE = `jaeger-durable-${RUN}`;
const ORDER_ID = `ord-durable-${RUN}`;
const TRACE_ID = randomBytes(16).toString('hex');
const ROOT_SPAN_ID = randomBytes(8).toString('hex');
const CHILD_SPAN_ID = randomBytes(8).toString('hex');

interface TraceJson {
  spans: { spanId: string; parentSpanId?: string; operation: string; service: string; attributes: Record<string, unknown> }[];
}
interface FindJson {
  traces: { traceId: string }[];
}

async function sendTrace(): Promise<void> {
  const end = BigInt(Date.now()) * 1_000_000n;
  const spans = [
    {
      traceId: TRACE_ID,
      spanId: ROOT_SPAN_ID,
      name: 'POST /orders',
      kind: 2,
      startTimeUnixNano: String(end - 40_000_000n),
      endTimeUnixNano: String(end),
      attributes: [str('http.route', '/orders'), str('http.request.method', 'POST'), str('order.id', ORDER_ID)],
    },
    {
      traceId: TRACE_ID,
      spanId: CHILD_SPAN_ID,
      parentSpanId: ROOT_SPAN_ID,
      name: 'charge card',
      kind: 3,
      startTimeUnixNano: String(end - 30_000_000n),
      endTimeUnixNano: String(end - 10_000_000n),
    },
  ];
  expect(await postOtlpJson(STACK.collectorOtlpHttp, 'traces', tracesRequest(SERVICE, spans, 'jaeger-durability'))).toBe(200);
}

/** The trace as the CLI sees it, with its two spans in place. */
function expectWholeTrace(run: CliRun): void {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const spans = (JSON.parse(run.stdout) as TraceJson).spans;
  expect(spans.map((s) => [s.operation, s.service]).sort()).toEqual([
    ['POST /orders', SERVICE],
    ['charge card', SERVICE],
  ]);
  const root = spans.find((s) => s.spanId === ROOT_SPAN_ID)!;
  expect(root.attributes['order.id']).toBe(ORDER_ID);
  expect(spans.find((s) => s.spanId === CHILD_SPAN_ID)!.parentSpanId).toBe(ROOT_SPAN_ID);
}

async function spanDocuments(): Promise<number> {
  await search.refresh('jaeger-span-*');
  return search.count('jaeger-span-*', { term: { traceID: TRACE_ID } });
}

beforeAll(async () => {
  await requireStack('collector', 'jaeger', 'search');
});

test("Jaeger's index templates are installed on the search node", async () => {
  for (const template of ['jaeger-span', 'jaeger-service']) {
    expect({ template, installed: await search.hasTemplate(template) }).toEqual({ template, installed: true });
  }
});

test('a trace is found by id and by order.id after Jaeger restarts', async () => {
  await sendTrace();
  // Through the collector into Jaeger, and from Jaeger into the search node.
  expectWholeTrace(await eventually(() => o4oOtel('trace', TRACE_ID, '--json'), (run) => run.code === 0 && (JSON.parse(run.stdout) as TraceJson).spans.length === 2, `trace ${TRACE_ID} in Jaeger`));
  expect(await eventually(spanDocuments, (n) => n === 2, `2 span documents of ${TRACE_ID} in jaeger-span-*`)).toBe(2);

  const before = servicePid('jaeger');
  restartServices('jaeger');
  const after = servicePid('jaeger');
  expect(after).toBeDefined();
  expect(after).not.toBe(before);

  // Asked once each, right after the restart: the trace comes from storage,
  // it is not redelivered.
  expectWholeTrace(await o4oOtel('trace', TRACE_ID, '--json'));

  const text = await o4oOtel('trace', TRACE_ID);
  expect(text.code).toBe(0);
  expect(text.stdout.split('\n')[0]).toMatch(new RegExp(`^Trace ${TRACE_ID} .* 2 spans {2}1 service \\(${SERVICE}\\)`));

  const byService = await o4oOtel('find', '--service', SERVICE, '--attr', `order.id=${ORDER_ID}`, '--since', '15m', '--json');
  expect(byService.code).toBe(0);
  expect((JSON.parse(byService.stdout) as FindJson).traces.map((t) => t.traceId)).toEqual([TRACE_ID]);

  // Without --service the CLI searches every service Jaeger knows, which the
  // restarted Jaeger reads back from the search node.
  const anyService = await o4oOtel('find', '--attr', `order.id=${ORDER_ID}`, '--since', '15m');
  expect(anyService.code).toBe(0);
  const rows = anyService.stdout.trimEnd().split('\n').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(TRACE_ID);
  expect(rows[0]).toContain(`order.id=${ORDER_ID}`);
}, 180_000);
