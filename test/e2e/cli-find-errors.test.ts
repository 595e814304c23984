/**
 * `o4o-otel find --errors` against the real stack, as in the README's incident
 * workflow: an Express 5 service under the preload (the @o4o/otel fixture
 * express-routes-app.js, its catalogue router mounted at /api/stores/:storeId)
 * exports through the o4o collector into Jaeger. It answers
 *
 *   /api/stores/<store>/answered/<product>  404, then next(NotFoundError)    (routing-controllers' way)
 *   /api/stores/<store>/missing/<product>   next(createError(404)), answered 404 by the error handler
 *   /api/stores/<store>/crash/<product>     a thrown TypeError, answered 500 by Express
 *   /api/stores/<store>/products/<product>  200
 *
 * and each request is one trace in Jaeger:
 *
 *   find-errors-e2e-<run>  GET /api/stores/:storeId/<route>/:productId   SERVER  (ERROR for the 500 only)
 *   └─ find-errors-e2e-<run>  request handler                            INTERNAL (ERROR for the 500 only)
 *
 * A 404 is the client's mistake, not the service's: only the 500 is listed by --errors.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { runFixture, type Fixture } from '@o4o/test-utils';
import { eventually, jaegerSearch, requireStack, tag, type JaegerSpan, type JaegerTrace } from '../src/backends';
import { o4oOtel } from '../src/o4o-cli';
import { STACK } from '../src/stack';

const OTEL_DIR = resolve(__dirname, '../../packages/otel');
const RUN = randomBytes(4).toString('hex');
const SERVICE = `find-errors-e2e-${RUN}`;
// Ids no template contains: a span name holding one would be the raw path.
const STORE = `store-${RUN}`;
const PRODUCT = `product-${RUN}`;

const REQUESTS = {
  answered: { path: `/api/stores/${STORE}/answered/${PRODUCT}`, status: 404, template: '/api/stores/:storeId/answered/:productId' },
  missing: { path: `/api/stores/${STORE}/missing/${PRODUCT}`, status: 404, template: '/api/stores/:storeId/missing/:productId' },
  crash: { path: `/api/stores/${STORE}/crash/${PRODUCT}`, status: 500, template: '/api/stores/:storeId/crash/:productId' },
  products: { path: `/api/stores/${STORE}/products/${PRODUCT}`, status: 200, template: '/api/stores/:storeId/products/:productId' },
} as const;
type RequestName = keyof typeof REQUESTS;
const NAMES = Object.keys(REQUESTS) as RequestName[];

interface FoundTraces {
  readonly traces: readonly { readonly traceId: string; readonly errorCount: number; readonly rootOperation: string | null }[];
}

let app: Fixture;
const traceOf = {} as Record<RequestName, JaegerTrace>;

/** Names of the spans Jaeger shows as failed. */
const failed = (trace: JaegerTrace): string[] => trace.spans.filter((s) => tag(s, 'otel.status_code') === 'ERROR' || tag(s, 'error') === true).map((s) => s.operationName).sort();

/** `exception.type` of the exception events Jaeger keeps as span logs (the client's span type leaves logs out). */
const exceptionTypes = (span: JaegerSpan): unknown[] =>
  ((span as { logs?: { fields: { key: string; value: unknown }[] }[] }).logs ?? []).flatMap((l) => l.fields.filter((f) => f.key === 'exception.type').map((f) => f.value));

beforeAll(async () => {
  await requireStack('collector', 'jaeger');
  app = await runFixture({
    script: resolve(OTEL_DIR, 'test/fixtures/express-routes-app.js'),
    cwd: OTEL_DIR,
    preload: { flag: '--require', module: '@o4o/otel/register' },
    env: { OTEL_SERVICE_NAME: SERVICE, OTEL_EXPORTER_OTLP_ENDPOINT: STACK.collectorOtlpHttp, OTEL_METRICS_EXPORTER: 'none', OTEL_BSP_SCHEDULE_DELAY: '200' },
  });
  for (const name of NAMES) {
    const response = await fetch(`${app.baseUrl}${REQUESTS[name].path}`, { signal: AbortSignal.timeout(10_000) });
    expect({ name, status: response.status }).toEqual({ name, status: REQUESTS[name].status });
  }
  // Each trace once Jaeger has both of its spans: the SERVER span and its handler's.
  for (const name of NAMES) {
    const [trace] = await eventually(() => jaegerSearch(SERVICE, { 'url.path': REQUESTS[name].path }, 10, '15m'), (t) => t.length === 1 && t[0]!.spans.length === 2, `the ${name} trace in Jaeger`);
    traceOf[name] = trace!;
  }
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

test.each(['answered', 'missing'] as const)('the %s 404 trace is in Jaeger, named by its route template, with no failed span', (name) => {
  const trace = traceOf[name];
  const { template } = REQUESTS[name];
  expect(trace.spans.map((s) => s.operationName).sort()).toEqual([`GET ${template}`, 'request handler']);
  expect(trace.spans.filter((s) => s.operationName.includes(STORE) || s.operationName.includes(PRODUCT))).toEqual([]);
  const server = trace.spans.find((s) => tag(s, 'span.kind') === 'server')!;
  expect({ route: tag(server, 'http.route'), status: tag(server, 'http.response.status_code') }).toEqual({ route: template, status: 404 });
  expect(failed(trace)).toEqual([]);
  // The handler still records what it passed to next(): the 404 is visible, just not a failure.
  const handler = trace.spans.find((s) => s.operationName === 'request handler')!;
  expect(exceptionTypes(handler)).toEqual([name === 'answered' ? 'NotFoundError' : 'Error']);
});

test('the 500 trace fails both of its spans in Jaeger, error.type TypeError', () => {
  const trace = traceOf.crash;
  expect(failed(trace)).toEqual([`GET ${REQUESTS.crash.template}`, 'request handler']);
  expect(trace.spans.map((s) => tag(s, 'error.type'))).toEqual(['TypeError', 'TypeError']);
});

test('find without --errors lists all four traces by their templates; only the 500 has failed spans', async () => {
  const run = await o4oOtel('find', '--service', SERVICE, '--since', '15m', '--json');
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const listed = (JSON.parse(run.stdout) as FoundTraces).traces;
  const byTrace = new Map(listed.map((t) => [t.traceId, t]));
  expect(listed).toHaveLength(NAMES.length);
  for (const name of NAMES) {
    const found = byTrace.get(traceOf[name].traceID);
    expect({ name, operation: found?.rootOperation, failed: (found?.errorCount ?? -1) > 0 }).toEqual({ name, operation: `GET ${REQUESTS[name].template}`, failed: name === 'crash' });
  }
});

test('find --service <name> --errors --since 15m lists the 500 trace only, not the 404s passed to next()', async () => {
  const crash = traceOf.crash.traceID;
  const json = await o4oOtel('find', '--service', SERVICE, '--errors', '--since', '15m', '--json');
  expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
  expect((JSON.parse(json.stdout) as FoundTraces).traces.map((t) => t.traceId)).toEqual([crash]);

  // The table an on-call engineer reads: one row, the 500's.
  const table = await o4oOtel('find', '--service', SERVICE, '--errors', '--since', '15m');
  expect({ code: table.code, stderr: table.stderr }).toEqual({ code: 0, stderr: '' });
  const rows = table.stdout.trimEnd().split('\n').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(crash);
  expect(rows[0]).toContain(`${SERVICE}  GET ${REQUESTS.crash.template}`);
});
