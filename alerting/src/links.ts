/**
 * Where alerts point people. The bases are one setting per installation,
 * ALERTING_RUNBOOK_BASE and ALERTING_DASHBOARD_BASE in alerting/env/*.env: the
 * generated rules carry these placeholders and `alerting/render.sh --rules`
 * fills them in, as it does for the Alertmanager configuration.
 */
export const RUNBOOK_BASE = '${ALERTING_RUNBOOK_BASE}';
export const GRAFANA_BASE = '${ALERTING_DASHBOARD_BASE}';

/** Fixed dashboard uids: links from alerts and between dashboards use these, never titles; @o4o/dashboards builds its boards with them. */
export const DASHBOARD_UIDS = Object.freeze({
  overview: 'o4o-overview',
  business: 'o4o-business',
  service: 'o4o-service',
  infrastructure: 'o4o-infrastructure',
  pipeline: 'o4o-pipeline',
});
export type DashboardKey = keyof typeof DASHBOARD_UIDS;

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
