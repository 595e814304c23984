/**
 * Route templates under mounted routers, and errors decided by the answer, on
 * Express 5 (the `router` package) and Express 4 (its own lib/router): the
 * fixture mounts routers at patterns with parameters, two levels deep, at an
 * array of paths, at a RegExp, and a sub-application; some routes pass errors
 * on with next(err) after (or instead of) answering 404.
 */
import type { ReceivedSpan } from '@o4o/test-utils';
import { scrapeMetrics, type Sample } from '@o4o/test-utils';
import { SERVER, startApp, type AppUnderTest } from './helpers';

const INTERNAL = 1;
const ERROR = 2;

/** Requests and the template each must report; ids differ from one line to the next on purpose. */
const ROUTES: readonly (readonly [path: string, template: string])[] = [
  ['/api/stores/700940/products/31', '/api/stores/:storeId/products/:productId'],
  ['/api/stores/700941', '/api/stores/:storeId'],
  ['/api/stores/700942/legacy-report', '/api/stores/:storeId/legacy-report'],
  ['/api/orgs/12/teams/34/members/56', '/api/orgs/:orgId/teams/:teamId/members/:memberId'],
  ['/v1/shops/77/items/88', '/v1/shops/:shopId/items/:itemId'],
  ['/v2/stores/78/items/89', '/v2/stores/:storeId/items/:itemId'],
  ['/r7/days/2026-01-02', '/^\\/r\\d+//days/:day'],
  ['/catalog/sku-1', '/catalog/:sku'],
  ['/c/sku-2', '/c/:sku'],
  ['/admin/acme/users/901', '/admin/:tenant/users/:userId'],
];

const isServer = (path: string) => (s: ReceivedSpan): boolean => s.kind === SERVER && s.attributes['url.path'] === path;

describe.each([
  ['Express 5', 'express'],
  ['Express 4', 'express-4'],
])('%s', (_label, expressPackage) => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script: 'express-routes-app.js', env: { EXPRESS_PACKAGE: expressPackage } });
  });
  afterAll(() => t.stop());

  /** The SERVER span of the request for `path` and the handler span beneath it. */
  async function spansOf(path: string): Promise<{ server: ReceivedSpan; handler: ReceivedSpan | undefined }> {
    await t.receiver.waitFor(() => t.receiver.spans.some(isServer(path)), 15_000, `the span of GET ${path}`);
    const server = t.receiver.spans.find(isServer(path))!;
    const handler = t.receiver.spans.find((s) => s.parentSpanId === server.spanId && s.kind === INTERNAL);
    return { server, handler };
  }

  test.each(ROUTES)('GET %s reports the template %s on the SERVER span, its name and the handler span', async (path, template) => {
    expect((await fetch(`${t.app.baseUrl}${path}`)).status).toBe(200);
    const { server, handler } = await spansOf(path);
    expect(server.attributes['http.route']).toBe(template);
    expect(server.name).toBe(`GET ${template}`);
    expect(handler?.attributes['http.route']).toBe(template);
    expect(handler?.name).toBe('request handler');
  });

  test('a request no route matched gets no route, never its path', async () => {
    expect((await fetch(`${t.app.baseUrl}/api/stores/5/nothing-here`)).status).toBe(404);
    const { server } = await spansOf('/api/stores/5/nothing-here');
    expect(server.name).toBe('GET');
    expect(server.attributes['http.route']).toBeUndefined();
  });

  test('a route under a mount made by hand (not with use()) gets no route: neither a wrong template nor the path', async () => {
    expect((await fetch(`${t.app.baseUrl}/tenants/acme/orders/77`)).status).toBe(200);
    const { server, handler } = await spansOf('/tenants/acme/orders/77');
    expect(server.name).toBe('GET');
    expect(server.attributes['http.route']).toBeUndefined();
    expect(handler).toBeDefined();
    expect(handler!.attributes['http.route']).toBeUndefined();
  });

  test('200 distinct store ids add no series to /metrics and no entries to the template cache', async () => {
    const durationSeries = (samples: Sample[]): Sample[] => samples.filter((s) => s.name === 'http_server_request_duration_count');
    const cacheEntries = async (): Promise<number> => ((await (await fetch(`${t.app.baseUrl}/internal/route-cache`)).json()) as { entries: number }).entries;
    // Warm up: every route once, the probe included, so that what follows can only repeat them.
    for (const [path] of ROUTES) await fetch(`${t.app.baseUrl}${path}`);
    const entriesBefore = await cacheEntries();
    const before = durationSeries((await scrapeMetrics(t.metricsUrl)).samples);

    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const id = 100_000 + batch * 20 + i;
          expect((await fetch(`${t.app.baseUrl}/api/stores/${id}/products/${id + 7}`)).status).toBe(200);
        }),
      );
    }

    expect(await cacheEntries()).toBe(entriesBefore);
    expect(entriesBefore).toBeGreaterThan(0);
    const after = durationSeries((await scrapeMetrics(t.metricsUrl)).samples);
    const routesOf = (samples: Sample[]): string[] => samples.map((s) => s.labels.http_route ?? '(none)').sort();
    expect(routesOf(after)).toEqual(routesOf(before));
    const products = (samples: Sample[]): number => samples.find((s) => s.labels.http_route === '/api/stores/:storeId/products/:productId' && s.labels.http_response_status_code === '200')?.value ?? 0;
    expect(products(after) - products(before)).toBeGreaterThanOrEqual(200);
    expect(after.some((s) => /\d{6}/.test(s.labels.http_route ?? ''))).toBe(false);
  });

  // GET /api/stores/:storeId/answered/:productId   (SERVER, status unset, 404)
  // └── request handler                            (status unset; event: exception NotFoundError)
  test('a 404 answered before next(NotFoundError), as routing-controllers does, is not an error', async () => {
    expect((await fetch(`${t.app.baseUrl}/api/stores/3/answered/4`)).status).toBe(404);
    const { server, handler } = await spansOf('/api/stores/3/answered/4');
    expect(server.attributes['http.route']).toBe('/api/stores/:storeId/answered/:productId');
    expect(server.attributes['http.response.status_code']).toBe(404);
    expect(server.status.code).toBe(0);
    expect(server.attributes['error.type']).toBeUndefined();
    expect(handler!.status.code).toBe(0);
    expect(handler!.attributes['error.type']).toBeUndefined();
    const exception = handler!.events.find((e) => e.name === 'exception');
    expect(exception?.attributes['exception.type']).toBe('NotFoundError');
    expect(exception?.attributes['exception.message']).toBe('no such product');
  });

  test('next(createError(404)) answered by the error handler is not an error either', async () => {
    expect((await fetch(`${t.app.baseUrl}/api/stores/3/missing/5`)).status).toBe(404);
    const { server, handler } = await spansOf('/api/stores/3/missing/5');
    expect(server.attributes['http.response.status_code']).toBe(404);
    expect(server.status.code).toBe(0);
    expect(handler!.status.code).toBe(0);
    expect(handler!.events.map((e) => e.name)).toEqual(['exception']);
    // It ended when the route passed the error on, within the SERVER span.
    expect(handler!.endTimeUnixNano).toBeGreaterThanOrEqual(handler!.startTimeUnixNano);
    expect(handler!.endTimeUnixNano).toBeLessThanOrEqual(server.endTimeUnixNano);
  });

  // GET /api/stores/:storeId/crash/:productId   (SERVER, ERROR, 500, error.type TypeError)
  // └── request handler                         (ERROR, error.type TypeError; event: exception TypeError)
  test('a TypeError the framework answered with 500 fails both spans, and error.type names its class', async () => {
    expect((await fetch(`${t.app.baseUrl}/api/stores/3/crash/6`)).status).toBe(500);
    const { server, handler } = await spansOf('/api/stores/3/crash/6');
    expect(server.attributes['http.response.status_code']).toBe(500);
    expect(server.status.code).toBe(ERROR);
    expect(server.attributes['error.type']).toBe('TypeError');
    expect(handler!.status.code).toBe(ERROR);
    expect(handler!.attributes['error.type']).toBe('TypeError');
    expect(handler!.events.find((e) => e.name === 'exception')?.attributes['exception.type']).toBe('TypeError');
  });
});
