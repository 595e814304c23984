/**
 * Every metric a rule reads is in the catalogue (src/names.ts) or is a
 * recording rule defined here; business names are the @o4o/otel registry's.
 */
import { INSTRUMENTS, prometheusName } from '@o4o/otel';
import { alertRules } from '../src/alerts';
import { checkQuery, recordedNames } from '../src/check';
import { BUSINESS, businessNames } from '../src/names';
import { recordingRules } from '../src/recording';

const ruleExprs = [...recordingRules().groups, ...alertRules().groups].flatMap((g) =>
  g.rules.map((r) => ({ where: `rule ${'record' in r ? r.record : r.alert}`, expr: r.expr })),
);

describe('metric names', () => {
  test.each(ruleExprs.map((e) => [e.where, e.expr]))('%s parses and reads only known metrics', (_where, expr) => {
    expect(checkQuery(expr)).toEqual({ errors: [], unknownMetrics: [] });
  });

  test('a query naming an uncatalogued metric is caught', () => {
    expect(checkQuery('sum(rate(orders_total[5m]))').unknownMetrics).toEqual(['orders_total']);
  });

  test('recording rule names follow level:metric:operations', () => {
    for (const name of recordedNames()) expect(name).toMatch(/^[a-z0-9_]+:[a-z_]+:[a-z0-9_]+$/);
  });

  test('business names are the ones @o4o/otel registers', () => {
    const fromCode = Object.fromEntries(Object.entries(INSTRUMENTS).map(([key, spec]) => [key, prometheusName(spec)]));
    for (const [key, name] of Object.entries(BUSINESS)) expect(fromCode[key]).toBe(name);
  });

  test('a registry without an instrument the rules and dashboards need fails loudly', () => {
    expect(() => businessNames({ instruments: [] })).toThrow(/no instrument "ordersPlaced"/);
  });
});
