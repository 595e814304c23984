/**
 * The business API under the preload: names, units and labels as Prometheus
 * scrapes them, bad values counted and dropped, and gauges whose source hangs
 * answered from the last figures.
 */
import { execFileSync } from 'node:child_process';
import { scrapeMetrics, type Sample } from '@o4o/test-utils';
import { INSTRUMENTS, prometheusName } from '../src/telemetry-registry';
import { startApp, type AppUnderTest } from './helpers';

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('business metrics', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ script: 'business-app.js', env: { OTEL_LOGS_EXPORTER: 'none' } });
  });
  afterAll(() => t.stop());

  test('each call shows up under its registry name, unit and labels', async () => {
    expect((await fetch(`${t.app.baseUrl}/record`)).status).toBe(200);
    const { text, samples } = await scrapeMetrics(t.metricsUrl);

    for (const spec of [INSTRUMENTS.ordersPlaced, INSTRUMENTS.revenue, INSTRUMENTS.checkoutsStarted, INSTRUMENTS.usersRegistered, INSTRUMENTS.paymentsProcessed]) {
      expect(text).toContain(`# TYPE ${prometheusName(spec)} counter`);
      expect(text).toContain(`# UNIT ${prometheusName(spec)} ${spec.unit}`);
    }
    expect(text).toContain('# TYPE o4o_order_value histogram');
    expect(text).toContain('# UNIT o4o_order_value {currency_unit}');

    expect(value(samples, 'o4o_orders_placed_total', { status: 'confirmed', user_role: 'customer' })).toBe(1);
    // Upper-case enum values are normalised, not rejected; decimal strings are amounts.
    expect(value(samples, 'o4o_orders_placed_total', { status: 'pending', user_role: 'business' })).toBe(1);
    expect(value(samples, 'o4o_order_value_sum', { currency: 'USD' })).toBe(99.5);
    expect(value(samples, 'o4o_order_value_bucket', { currency: 'KRW', le: '20000' })).toBe(1);
    // Revenue: the confirmed KRW order at placement, the USD order when confirmed later.
    expect(value(samples, 'o4o_revenue_total', { currency: 'KRW' })).toBe(12500);
    expect(value(samples, 'o4o_revenue_total', { currency: 'USD' })).toBe(99.5);
    expect(value(samples, 'o4o_checkouts_started_total', { user_role: 'customer' })).toBe(2);
    expect(value(samples, 'o4o_users_registered_total', { user_role: 'affiliate' })).toBe(1);
    expect(value(samples, 'o4o_payments_processed_total', { method: 'card', outcome: 'succeeded' })).toBe(1);
    expect(value(samples, 'o4o_payments_processed_total', { method: 'bank_transfer', outcome: 'declined' })).toBe(1);
    expect(samples.some((s) => s.name.startsWith('o4o_telemetry_rejected_values'))).toBe(false);
    // The # UNIT lines with UCUM annotations ({order}, {currency_unit}) pass Prometheus' own linter.
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).not.toThrow();
  });

  test('the order id goes on the request span as order.id, never into a metric label', async () => {
    // Not all digits: a numeric id could appear by chance in a port, pid or histogram sum.
    const orderId = 'ord-q7x5001';
    await fetch(`${t.app.baseUrl}/orders/${orderId}/place`);
    await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.attributes['order.id'] === orderId), 15_000, 'a span with order.id');
    // GET /orders/:id/place        SERVER
    // └── request handler          order.id=ord-q7x5001 (the span active when the order was recorded)
    const annotated = t.receiver.spans.find((s) => s.attributes['order.id'] === orderId)!;
    await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.spanId === annotated.parentSpanId), 15_000, 'the request span');
    const request = t.receiver.spans.find((s) => s.spanId === annotated.parentSpanId)!;
    expect(request.name).toBe('GET /orders/:id/place');
    expect(request.traceId).toBe(annotated.traceId);
    const { text, samples } = await scrapeMetrics(t.metricsUrl);
    expect(samples.some((s) => s.name.startsWith('o4o_orders_placed'))).toBe(true);
    expect(text).not.toContain(orderId);
  });

  test('bad values are counted by reason, never thrown, never a new series, reported once', async () => {
    const before = await scrapeMetrics(t.metricsUrl);
    expect((await fetch(`${t.app.baseUrl}/bad`)).status).toBe(200);
    const { text, samples } = await scrapeMetrics(t.metricsUrl);

    const rejected = (labels: Record<string, string>): number | undefined => value(samples, 'o4o_telemetry_rejected_values_total', labels);
    expect(rejected({ instrument: 'o4o.order.value', reason: 'negative' })).toBe(1);
    expect(rejected({ instrument: 'o4o.order.value', reason: 'not_finite' })).toBe(2);
    expect(rejected({ instrument: 'o4o.order.value', reason: 'not_a_number' })).toBe(2);
    expect(rejected({ instrument: 'o4o.orders.placed', reason: 'unknown_value' })).toBe(4);
    expect(rejected({ instrument: 'o4o.payments.processed', reason: 'unknown_value' })).toBe(1);

    // Bad amounts are dropped: the KRW distribution and revenue did not move.
    expect(value(samples, 'o4o_order_value_count', { currency: 'KRW' })).toBe(value(before.samples, 'o4o_order_value_count', { currency: 'KRW' }));
    expect(value(samples, 'o4o_revenue_total', { currency: 'KRW' })).toBe(12500);
    // Unknown enum values became `other`; the given values appear nowhere.
    expect(value(samples, 'o4o_payments_processed_total', { method: 'other', outcome: 'succeeded' })).toBe(1);
    for (const leaked of ['teleported', 'hacker', 'XYZ', 'bitcoin']) expect(text).not.toContain(leaked);
    const labelValues = new Set(samples.filter((s) => s.name.startsWith('o4o_orders_placed')).map((s) => s.labels.status));
    expect([...labelValues].sort()).toEqual(['confirmed', 'other', 'pending']);

    // One summary line per interval, however many values were rejected.
    const lines = t.app.diagnostics().filter((l) => l.includes('rejected bad values'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/hacker|teleported/);
  });

  test('a stock query that never answers does not hold up /metrics: the last figures are served', async () => {
    const first = await scrapeMetrics(t.metricsUrl);
    expect(value(first.samples, 'o4o_products_out_of_stock')).toBe(3);
    expect(value(first.samples, 'o4o_products_low_stock')).toBe(7);
    expect(value(first.samples, 'o4o_orders_active')).toBe(12);
    expect(value(first.samples, 'o4o_users_active')).toBe(40);
    expect(first.text).toContain('# UNIT o4o_products_out_of_stock {product}');

    await fetch(`${t.app.baseUrl}/hang`);
    // The source never resolves; each scrape still answers (scrapeMetrics gives up after 5 s).
    for (let i = 0; i < 2; i += 1) {
      const { samples } = await scrapeMetrics(t.metricsUrl);
      expect(value(samples, 'o4o_products_out_of_stock')).toBe(3);
      expect(value(samples, 'o4o_orders_active')).toBe(12);
      expect(value(samples, 'o4o_telemetry_rejected_values_total', { instrument: 'business_figures', reason: 'callback_timeout' })).toBe(1);
    }
  });
});
