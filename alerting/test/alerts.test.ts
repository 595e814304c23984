/** Every alert is actionable: severity, duration, current value, runbook and dashboard. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_UIDS, RUNBOOK_BASE, runbookAnchor } from '../src/links';
import { alertRules } from '../src/alerts';
import type { AlertRule } from '../src/types';

const alerts = alertRules().groups.flatMap((g) => g.rules as AlertRule[]);
const runbooks = readFileSync(join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
const anchors = new Set([...runbooks.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));

const minutes = (d: string): number => {
  const m = /^(\d+)(m|h)$/.exec(d);
  if (!m) throw new Error(`unexpected duration ${d}`);
  return Number(m[1]) * (m[2] === 'h' ? 60 : 1);
};

describe('alert rules', () => {
  test('the guide\'s alerts are all there', () => {
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining(['ApiErrorRateHigh', 'ApiLatencyP95High', 'PaymentProviderDown', 'ProductsOutOfStock', 'ServiceDown', 'TelemetryDataRefused', 'TelemetryExportFailing', 'TelemetryQueueFilling', 'HostDiskAlmostFull', 'HostMemoryPressure']),
    );
  });

  test.each(alerts.map((a) => [a.alert, a]))('%s is actionable', (_name, a) => {
    const alert = a as AlertRule;
    expect(['critical', 'high', 'medium', 'low']).toContain(alert.labels.severity);
    expect(minutes(alert.for)).toBeGreaterThanOrEqual(2);
    expect(`${alert.annotations.summary} ${alert.annotations.description}`).toContain('{{ $value');
    expect(alert.annotations.runbook_url).toBe(`${RUNBOOK_BASE}#${runbookAnchor(alert.alert)}`);
    expect(anchors).toContain(runbookAnchor(alert.alert));
    const uid = /\/d\/([a-z0-9-]+)/.exec(alert.annotations.dashboard_url)?.[1];
    expect(Object.values(DASHBOARD_UIDS)).toContain(uid);
  });

  test('the guide\'s severities hold', () => {
    const severity = Object.fromEntries(alerts.map((a) => [a.alert, a.labels.severity]));
    expect(severity).toMatchObject({ ApiErrorRateHigh: 'critical', PaymentProviderDown: 'critical', ApiLatencyP95High: 'high', ProductsOutOfStock: 'high' });
  });
});
