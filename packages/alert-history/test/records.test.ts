import { SeverityNumber } from '@opentelemetry/api';
import { historyRecords, InvalidPayloadError, parsePayload } from '../src/records';
import { CRITICAL_ANNOTATIONS, CRITICAL_LABELS, notification } from './payloads';

describe('historyRecords', () => {
  test('a firing critical alert becomes one FATAL record searchable by name, severity and service', () => {
    const [record] = historyRecords(parsePayload(notification('firing', CRITICAL_LABELS, CRITICAL_ANNOTATIONS)));
    expect(record).toEqual({
      body: '[FIRING] ApiErrorRateHigh critical shop-api: shop-api: 9.1% of requests fail',
      severityNumber: SeverityNumber.FATAL,
      severityText: 'FATAL',
      attributes: {
        'alert.name': 'ApiErrorRateHigh',
        'alert.status': 'firing',
        'alert.severity': 'critical',
        'alert.service': 'shop-api',
        'alert.environment': 'prod',
        'alert.fingerprint': 'fcbb33a1b2c3d4e5',
        'alert.starts_at': '2026-11-27T02:18:19.403Z',
        'alert.summary': CRITICAL_ANNOTATIONS.summary,
        'alert.description': CRITICAL_ANNOTATIONS.description,
        'alert.runbook_url': CRITICAL_ANNOTATIONS.runbook_url,
        'alert.dashboard_url': CRITICAL_ANNOTATIONS.dashboard_url,
        'alert.generator_url': 'http://127.0.0.1:9090/graph?g0.expr=x',
        'alert.labels': JSON.stringify(CRITICAL_LABELS),
        'alertmanager.receiver': 'alert-history',
        'alertmanager.group_key': '{}/{}:{alertname="ApiErrorRateHigh"}',
        'alertmanager.external_url': 'http://127.0.0.1:9093',
      },
    });
  });

  test.each([
    ['high', 'firing', 'ERROR'],
    ['medium', 'firing', 'WARN'],
    ['low', 'firing', 'INFO'],
    ['unknown', 'firing', 'WARN'],
    ['critical', 'resolved', 'INFO'],
  ] as const)('severity %s, %s -> %s', (severity, status, text) => {
    const [record] = historyRecords(parsePayload(notification(status, { alertname: 'X', severity })));
    expect(record.severityText).toBe(text);
    expect(record.body).toMatch(new RegExp(`^\\[${status.toUpperCase()}\\] X ${severity}$`));
  });

  test('a resolved alert keeps its end time', () => {
    const [record] = historyRecords(parsePayload(notification('resolved', CRITICAL_LABELS)));
    expect(record.attributes['alert.ends_at']).toBe('2026-11-27T02:30:19.403Z');
  });

  test('every alert of a grouped notification is recorded', () => {
    const payload = notification('firing', CRITICAL_LABELS);
    const alerts = payload.alerts as object[];
    payload.alerts = [alerts[0], { ...alerts[0], labels: { ...CRITICAL_LABELS, service_name: 'admin-api' } }];
    expect(historyRecords(parsePayload(payload)).map((r) => r.attributes['alert.service'])).toEqual(['shop-api', 'admin-api']);
  });
});

describe('parsePayload', () => {
  test.each([
    [null, /got object/],
    [[], /got an array/],
    [{ version: '3', alerts: [] }, /version "4", got "3"/],
    [{ version: '4' }, /"alerts" array/],
    [{ version: '4', alerts: [{ status: 'pending' }] }, /alert 0: expected status/],
  ])('rejects %j', (body, message) => {
    expect(() => parsePayload(body)).toThrow(InvalidPayloadError);
    expect(() => parsePayload(body)).toThrow(message);
  });
});
