/**
 * Turns an Alertmanager webhook notification into history records: one per
 * alert, with the fields people search by (alert.name, alert.severity,
 * alert.service, alert.status) as attributes. Pure, so it is table-tested.
 */
import { SeverityNumber } from '@opentelemetry/api';
import type { HistoryRecord, WebhookAlert, WebhookPayload } from './types';

/** A firing alert's log severity follows its alert severity; a resolution is INFO. */
const FIRING_SEVERITY: Readonly<Record<string, [SeverityNumber, string]>> = Object.freeze({
  critical: [SeverityNumber.FATAL, 'FATAL'],
  high: [SeverityNumber.ERROR, 'ERROR'],
  medium: [SeverityNumber.WARN, 'WARN'],
  low: [SeverityNumber.INFO, 'INFO'],
});
const DEFAULT_FIRING: [SeverityNumber, string] = [SeverityNumber.WARN, 'WARN'];
const RESOLVED: [SeverityNumber, string] = [SeverityNumber.INFO, 'INFO'];

/** Thrown for a body that is not an Alertmanager webhook notification. */
export class InvalidPayloadError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Checks the shape that matters and says what was wrong; extra fields are kept out. */
export function parsePayload(body: unknown): WebhookPayload {
  if (!isRecord(body)) throw new InvalidPayloadError(`expected an Alertmanager webhook JSON object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
  if (body.version !== '4') throw new InvalidPayloadError(`expected webhook payload version "4", got ${JSON.stringify(body.version)}`);
  if (!Array.isArray(body.alerts)) throw new InvalidPayloadError('expected an "alerts" array');
  const alerts: WebhookAlert[] = body.alerts.map((a, i) => {
    if (!isRecord(a) || (a.status !== 'firing' && a.status !== 'resolved')) throw new InvalidPayloadError(`alert ${i}: expected status "firing" or "resolved"`);
    return {
      status: a.status,
      labels: stringMap(a.labels),
      annotations: stringMap(a.annotations),
      startsAt: typeof a.startsAt === 'string' ? a.startsAt : '',
      endsAt: typeof a.endsAt === 'string' ? a.endsAt : '',
      generatorURL: typeof a.generatorURL === 'string' ? a.generatorURL : undefined,
      fingerprint: typeof a.fingerprint === 'string' ? a.fingerprint : undefined,
    };
  });
  return {
    version: '4',
    groupKey: typeof body.groupKey === 'string' ? body.groupKey : '',
    truncatedAlerts: typeof body.truncatedAlerts === 'number' ? body.truncatedAlerts : 0,
    status: body.status === 'resolved' ? 'resolved' : 'firing',
    receiver: typeof body.receiver === 'string' ? body.receiver : '',
    groupLabels: stringMap(body.groupLabels),
    commonLabels: stringMap(body.commonLabels),
    commonAnnotations: stringMap(body.commonAnnotations),
    externalURL: typeof body.externalURL === 'string' ? body.externalURL : '',
    alerts,
  };
}

/** Drops empty values: Alertmanager sends "0001-01-01T00:00:00Z" as the end of a firing alert. */
function defined(entries: [string, string | undefined][]): Record<string, string> {
  return Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '' && !e[1].startsWith('0001-01-01')));
}

export function historyRecords(payload: WebhookPayload): HistoryRecord[] {
  return payload.alerts.map((alert) => {
    const name = alert.labels.alertname ?? 'unnamed';
    const severity = alert.labels.severity;
    const service = alert.labels.service_name;
    const [severityNumber, severityText] = alert.status === 'resolved' ? RESOLVED : (FIRING_SEVERITY[severity ?? ''] ?? DEFAULT_FIRING);
    const summary = alert.annotations.summary ?? '';
    return {
      body: `[${alert.status.toUpperCase()}] ${name}${severity ? ` ${severity}` : ''}${service ? ` ${service}` : ''}${summary ? `: ${summary}` : ''}`,
      severityNumber,
      severityText,
      attributes: defined([
        ['alert.name', name],
        ['alert.status', alert.status],
        ['alert.severity', severity],
        ['alert.service', service],
        ['alert.environment', alert.labels.deployment_environment_name],
        ['alert.fingerprint', alert.fingerprint],
        ['alert.starts_at', alert.startsAt],
        ['alert.ends_at', alert.endsAt],
        ['alert.summary', summary],
        ['alert.description', alert.annotations.description],
        ['alert.runbook_url', alert.annotations.runbook_url],
        ['alert.dashboard_url', alert.annotations.dashboard_url],
        ['alert.generator_url', alert.generatorURL],
        ['alert.labels', JSON.stringify(alert.labels)],
        ['alertmanager.receiver', payload.receiver],
        ['alertmanager.group_key', payload.groupKey],
        ['alertmanager.external_url', payload.externalURL],
      ]),
    };
  });
}
