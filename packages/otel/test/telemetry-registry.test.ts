/**
 * The registry of business telemetry: naming rules, and the committed
 * telemetry-registry.json that dashboards and alert rules read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTRUMENTS, OTHER, prometheusName, registryDocument } from '../src/telemetry-registry';

describe('telemetry registry', () => {
  const specs = Object.values(INSTRUMENTS);

  test('telemetry-registry.json matches the table (regenerate: pnpm run build && node scripts/write-telemetry-registry.js)', () => {
    const committed: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'telemetry-registry.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(registryDocument())));
  });

  test('names are lower-case, dotted, prefixed o4o. and unique', () => {
    for (const s of specs) expect(s.name).toMatch(/^o4o(\.[a-z][a-z0-9_]*)+$/);
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
    expect(new Set(specs.map(prometheusName)).size).toBe(specs.length);
  });

  test('units are UCUM: an annotation in braces, 1, or a unit symbol', () => {
    for (const s of specs) expect(s.unit).toMatch(/^(\{[a-z_]+\}|1|s|By)$/);
  });

  test('every enum attribute offers "other", so unknown values never create series', () => {
    for (const s of specs) {
      for (const [name, allowed] of Object.entries(s.attributes)) {
        // Reasons and signals are named by our own code, never by a caller: a closed list.
        if (allowed === null || name === 'reason' || name === 'signal') continue;
        expect(allowed).toContain(OTHER);
      }
    }
  });

  test('Prometheus names as our exporter writes them', () => {
    expect(prometheusName(INSTRUMENTS.ordersPlaced)).toBe('o4o_orders_placed_total');
    expect(prometheusName(INSTRUMENTS.revenue)).toBe('o4o_revenue_total');
    expect(prometheusName(INSTRUMENTS.orderValue)).toBe('o4o_order_value');
    expect(prometheusName(INSTRUMENTS.productsOutOfStock)).toBe('o4o_products_out_of_stock');
    expect(prometheusName(INSTRUMENTS.healthCheckStatus)).toBe('o4o_health_check_status');
  });
});
