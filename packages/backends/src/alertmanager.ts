/** Alertmanager's v2 API: the alerts that are firing now (not silenced, not inhibited), and posting alerts. */
import { requestJson, requestOk } from './http';
import type { Alert } from './model';
import type { BackendRef } from './ref';

export interface GettableAlert {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly startsAt: string;
  readonly fingerprint: string;
  readonly generatorURL?: string;
  readonly status?: { readonly state?: string };
}

export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly generatorURL?: string;
}

/** Label names that say which service and route an alert is about, most specific first. */
const SERVICE_LABELS = ['service_name', 'service', 'job'];
const ROUTE_LABELS = ['http_route', 'route'];

function first(labels: Record<string, string>, names: readonly string[]): string | undefined {
  for (const name of names) if (labels[name]) return labels[name];
  return undefined;
}

export function toAlert(raw: GettableAlert): Alert {
  return {
    name: raw.labels.alertname ?? '',
    state: raw.status?.state ?? 'active',
    severity: raw.labels.severity ?? '',
    startsAt: raw.startsAt,
    summary: raw.annotations?.summary ?? raw.annotations?.description ?? '',
    labels: raw.labels,
    service: first(raw.labels, SERVICE_LABELS),
    route: first(raw.labels, ROUTE_LABELS),
    fingerprint: raw.fingerprint,
    generatorUrl: raw.generatorURL ?? '',
  };
}

export interface AlertmanagerClient {
  readonly ref: BackendRef;
  /** Active, not silenced, not inhibited: what is being notified; oldest first. */
  firingAlerts(): Promise<Alert[]>;
  /** Sends alerts as Prometheus would (an `endsAt` in the past resolves them). */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** Version and cluster status, for doctor. */
  status(): Promise<{ version: string; cluster: string }>;
}

export function alertmanagerClient(ref: BackendRef): AlertmanagerClient {
  return {
    ref,
    async firingAlerts() {
      const raw = await requestJson<GettableAlert[]>(ref, '/api/v2/alerts', { query: { active: 'true', silenced: 'false', inhibited: 'false' } });
      return raw.map(toAlert).sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.name.localeCompare(b.name));
    },
    async postAlerts(alerts) {
      await requestOk(ref, '/api/v2/alerts', { json: alerts });
    },
    async status() {
      const body = await requestJson<{ versionInfo?: { version?: string }; cluster?: { status?: string } }>(ref, '/api/v2/status');
      return { version: body.versionInfo?.version ?? '', cluster: body.cluster?.status ?? '' };
    },
  };
}
