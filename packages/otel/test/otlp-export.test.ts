/**
 * OTLP export as configured by the standard variables: protobuf by default,
 * JSON on request, headers delivered, per-signal endpoints honoured.
 */
import { startOtlpReceiver } from '@o4o/test-utils';
import { startApp } from './helpers';

describe('OTLP export', () => {
  test('OTEL_EXPORTER_OTLP_PROTOCOL unset: protobuf', async () => {
    const t = await startApp({ script: 'express-app.js' });
    try {
      await fetch(`${t.app.baseUrl}/users/1`);
      await t.receiver.waitFor(() => t.receiver.spans.length > 0);
      expect(new Set(t.receiver.contentTypes)).toEqual(new Set(['application/x-protobuf']));
    } finally {
      await t.stop();
    }
  });

  test('OTEL_EXPORTER_OTLP_PROTOCOL=http/json: JSON, and OTEL_EXPORTER_OTLP_HEADERS arrive', async () => {
    const t = await startApp({
      script: 'express-app.js',
      env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc123,x-tenant=shop' },
    });
    try {
      await fetch(`${t.app.baseUrl}/users/1`);
      await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.name === 'GET /users/:id'));
      expect(new Set(t.receiver.contentTypes)).toEqual(new Set(['application/json']));
      expect(t.receiver.requestHeaders[0]).toMatchObject({ 'x-api-key': 'abc123', 'x-tenant': 'shop' });
    } finally {
      await t.stop();
    }
  });

  test('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT sends traces elsewhere; OTEL_METRICS_EXPORTER=otlp pushes metrics', async () => {
    const traces = await startOtlpReceiver();
    const t = await startApp({
      script: 'express-app.js',
      env: {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${traces.url}/v1/traces`,
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_METRIC_EXPORT_INTERVAL: '200',
      },
    });
    try {
      await fetch(`${t.app.baseUrl}/users/1`);
      await traces.waitFor(() => traces.spans.some((s) => s.name === 'GET /users/:id'), 15_000, 'spans at the traces endpoint');
      await t.receiver.waitFor(() => t.receiver.metrics.some((m) => m.name === 'http.server.request.duration'), 15_000, 'the HTTP histogram over OTLP');
      expect(t.receiver.spans).toHaveLength(0);
      expect(t.receiver.metrics.find((m) => m.name === 'http.server.request.duration')?.unit).toBe('s');
      await expect(fetch(t.metricsUrl)).rejects.toThrow();
    } finally {
      await t.stop();
      await traces.close();
    }
  });

  test('OTEL_TRACES_SAMPLER=always_off: requests still measured, no spans sent', async () => {
    const t = await startApp({ script: 'express-app.js', env: { OTEL_TRACES_SAMPLER: 'always_off' } });
    try {
      await fetch(`${t.app.baseUrl}/users/1`);
      const text = await (await fetch(t.metricsUrl)).text();
      expect(text).toContain('http_route="/users/:id"');
      await new Promise((r) => setTimeout(r, 400));
      expect(t.receiver.spans).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });
});
