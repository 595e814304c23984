/** Webhook bodies as Alertmanager 0.25 sends them (captured from a real one, trimmed). */
export function notification(status: 'firing' | 'resolved', labels: Record<string, string>, annotations: Record<string, string> = {}): Record<string, unknown> {
  return {
    receiver: 'alert-history',
    status,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: '2026-11-27T02:18:19.403Z',
        endsAt: status === 'resolved' ? '2026-11-27T02:30:19.403Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=x',
        fingerprint: 'fcbb33a1b2c3d4e5',
      },
    ],
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://127.0.0.1:9093',
    version: '4',
    groupKey: '{}/{}:{alertname="ApiErrorRateHigh"}',
    truncatedAlerts: 0,
  };
}

export const CRITICAL_LABELS = { alertname: 'ApiErrorRateHigh', severity: 'critical', service_name: 'shop-api', deployment_environment_name: 'prod' };
export const CRITICAL_ANNOTATIONS = {
  summary: 'shop-api: 9.1% of requests fail',
  description: '9.1% of HTTP requests to shop-api (prod) answered 5xx.',
  runbook_url: 'https://git.o4o.example/o4o/observability/blob/main/docs/runbooks.md#api-error-rate-high',
  dashboard_url: 'https://grafana.o4o.example/d/o4o-service?var-service=shop-api',
};
