/** Firing alerts, each followed by the traces that show an example of it. */
import type { Alert } from '../model';
import { formatDuration } from './format';

export interface ExampleTrace {
  readonly traceId: string;
  /** `exemplar` (from the alert's metric in Prometheus) or `span search` (from Jaeger). */
  readonly source: 'exemplar' | 'span search';
}

export interface AlertWithExamples {
  readonly alert: Alert;
  readonly examples: readonly ExampleTrace[];
  /** Why no examples could be looked up, when that failed. */
  readonly examplesNote?: string;
}

export function renderAlerts(alerts: readonly AlertWithExamples[], nowMillis: number): string[] {
  if (alerts.length === 0) return ['No alerts firing.'];
  const lines: string[] = [];
  for (const { alert, examples, examplesNote } of alerts) {
    const since = Date.parse(alert.startsAt);
    const age = Number.isNaN(since) ? '' : ` (${formatDuration(Math.max(0, nowMillis - since) * 1_000)})`;
    const scope = [alert.service && `service=${alert.service}`, alert.route && `route=${alert.route}`].filter(Boolean).join(' ');
    lines.push(`FIRING  ${alert.name}  ${alert.severity || '-'}  since ${alert.startsAt}${age}${scope ? `  ${scope}` : ''}`);
    if (alert.summary) lines.push(`  ${alert.summary}`);
    if (examples.length > 0) {
      for (const e of examples) lines.push(`  trace ${e.traceId}  (${e.source})  o4o-otel trace ${e.traceId}`);
    } else {
      lines.push(`  ${examplesNote ?? (alert.service ? 'no example traces found' : 'no service label: no example traces')}`);
    }
    lines.push('');
  }
  return lines.slice(0, -1);
}
