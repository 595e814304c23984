/**
 * Every metric a rule or panel reads is in the catalogue (src/names.ts) or is
 * a recording rule defined here; business names are the @o4o/otel registry's.
 */
import { INSTRUMENTS, prometheusName } from '@o4o/otel';
import { allDashboards } from '../src/boards';
import { BUSINESS, businessNames, knownSeriesNames } from '../src/names';
import { parsePromql } from '../src/promql';
import { panelQueries } from '../src/queries';
import { alertRules } from '../src/rules/alerts';
import { recordingRules } from '../src/rules/recording';
import type { RecordingRule } from '../src/rules/types';

const recorded = new Set(recordingRules().groups.flatMap((g) => g.rules.map((r) => (r as RecordingRule).record)));
const known = knownSeriesNames();

const ruleExprs = [...recordingRules().groups, ...alertRules().groups].flatMap((g) =>
  g.rules.map((r) => ({ where: `rule ${'record' in r ? r.record : r.alert}`, expr: r.expr })),
);
const panelExprs = Object.values(allDashboards()).flatMap((d) => panelQueries(d).map((q) => ({ where: `${q.dashboard} / ${q.panel} / ${q.refId}`, expr: q.expr })));

describe('metric names', () => {
  test.each([...ruleExprs, ...panelExprs].map((e) => [e.where, e.expr]))('%s parses and reads only known metrics', (_where, expr) => {
    const parsed = parsePromql(expr);
    expect(parsed.errors).toEqual([]);
    const unknown = parsed.metricNames.filter((name) => !known.has(name) && !recorded.has(name));
    expect(unknown).toEqual([]);
  });

  test('recording rule names follow level:metric:operations', () => {
    for (const name of recorded) expect(name).toMatch(/^[a-z0-9_]+:[a-z_]+:[a-z0-9_]+$/);
  });

  test('business names are the ones @o4o/otel registers', () => {
    const fromCode = Object.fromEntries(Object.entries(INSTRUMENTS).map(([key, spec]) => [key, prometheusName(spec)]));
    for (const [key, name] of Object.entries(BUSINESS)) expect(fromCode[key]).toBe(name);
  });

  test('a registry without an instrument the dashboards need fails loudly', () => {
    expect(() => businessNames({ instruments: [] })).toThrow(/no instrument "ordersPlaced"/);
  });
});
