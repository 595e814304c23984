/**
 * Express services traced with one flag, CommonJS and ESM alike: SERVER spans
 * named by route template, the handler under them, probes not traced.
 */
import type { ReceivedSpan } from '@o4o/test-utils';
import { SERVER, startApp, type AppUnderTest } from './helpers';

describe.each([
  ['CommonJS (--require)', 'express-app.js', false],
  ['ESM (--import)', 'express-app.mjs', true],
])('%s', (_label, script, esm) => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script, esm });
  });
  afterAll(() => t.stop());

  test('a request becomes a SERVER span named by its route template, with the Express handler beneath it', async () => {
    await fetch(`${t.app.baseUrl}/health`);
    const response = await fetch(`${t.app.baseUrl}/users/42?token=abc`);
    expect(response.status).toBe(200);

    const isUserRequest = (s: ReceivedSpan): boolean => s.kind === SERVER && s.attributes['http.route'] === '/users/:id';
    await t.receiver.waitFor(() => t.receiver.spans.some(isUserRequest), 15_000, 'the GET /users/:id span');

    // GET /users/:id            (SERVER, @o4o/otel/http-server)
    // └── request handler       (INTERNAL, @o4o/otel/express)
    const server = t.receiver.spans.find(isUserRequest)!;
    expect(server.name).toBe('GET /users/:id');
    expect(server.attributes['http.response.status_code']).toBe(200);
    expect(server.resource['service.name']).toBe('fixture-app');
    const handler = t.receiver.spans.find((s) => s.parentSpanId === server.spanId);
    expect(handler).toBeDefined();
    expect(handler!.traceId).toBe(server.traceId);
    expect(handler!.scope.name).toBe('@o4o/otel/express');
  });

  if (!esm) {
    test('a mounted Router adds no span of its own: the route template is the full path', async () => {
      await fetch(`${t.app.baseUrl}/api/items/9`);
      const isItemRequest = (s: ReceivedSpan): boolean => s.kind === SERVER && s.attributes['http.route'] === '/api/items/:itemId';
      await t.receiver.waitFor(() => t.receiver.spans.some(isItemRequest), 15_000, 'the GET /api/items/:itemId span');
      // GET /api/items/:itemId      (SERVER)
      // └── request handler         (no "router - /api" span between them)
      const server = t.receiver.spans.find(isItemRequest)!;
      const children = t.receiver.spans.filter((s) => s.parentSpanId === server.spanId);
      expect(children.map((c) => c.name)).toEqual(['request handler']);
      expect(t.receiver.spans.filter((s) => s.traceId === server.traceId).map((s) => s.name).sort()).toEqual(['GET /api/items/:itemId', 'request handler']);
    });
  }

  test('health probes are neither traced nor measured', async () => {
    await fetch(`${t.app.baseUrl}/health`);
    await fetch(`${t.app.baseUrl}/users/1`);
    await t.receiver.waitFor(() => t.receiver.spans.filter((s) => s.kind === SERVER).length >= 2, 15_000, 'two request spans');
    const paths = t.receiver.spans.map((s) => String(s.attributes['url.path'] ?? ''));
    expect(paths).not.toContain('/health');
    expect(t.receiver.spans.filter((s) => s.kind === SERVER).map((s) => s.attributes['http.route'])).not.toContain('/health');
  });
});
