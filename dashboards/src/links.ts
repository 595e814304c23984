/**
 * Where alerts and dashboards point people. Change the bases here for another
 * installation and run `pnpm --filter @o4o/dashboards run generate`.
 */
export const RUNBOOK_BASE = 'https://git.o4o.example/o4o/observability/blob/main/docs/runbooks.md';
export const GRAFANA_BASE = 'https://grafana.o4o.example';

/** Fixed dashboard uids: links between dashboards and from alerts use these, never titles. */
export const DASHBOARD_UIDS = Object.freeze({
  overview: 'o4o-overview',
  business: 'o4o-business',
  service: 'o4o-service',
  infrastructure: 'o4o-infrastructure',
  pipeline: 'o4o-pipeline',
});
export type DashboardKey = keyof typeof DASHBOARD_UIDS;

/** Fixed datasource uids, the same as in provisioning/datasources.yaml. */
export const DATASOURCES = Object.freeze({
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  jaeger: { type: 'jaeger', uid: 'jaeger' },
  logs: { type: 'elasticsearch', uid: 'logs' },
});

/** GitHub-style anchor of a runbook heading: lower case, spaces to dashes. */
export function runbookAnchor(alertname: string): string {
  return alertname.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export function runbookUrl(alertname: string): string {
  return `${RUNBOOK_BASE}#${runbookAnchor(alertname)}`;
}

/**
 * A dashboard link for an alert annotation; `vars` become `var-NAME=VALUE`
 * parameters and may hold Prometheus template expressions.
 */
export function dashboardUrl(dashboard: DashboardKey, vars: Readonly<Record<string, string>> = {}): string {
  const query = Object.entries(vars)
    .map(([name, value]) => `var-${name}=${value}`)
    .join('&');
  return `${GRAFANA_BASE}/d/${DASHBOARD_UIDS[dashboard]}${query ? `?${query}` : ''}`;
}
