/** Every dashboard, and their committed JSON form. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardKey } from '@o4o/alerting';
import { businessDashboard } from './business';
import { infrastructureDashboard } from './infrastructure';
import { overviewDashboard } from './overview';
import { pipelineDashboard } from './pipeline';
import { serviceDashboard } from './service';

export function allDashboards(): Record<DashboardKey, Dashboard> {
  return {
    overview: overviewDashboard(),
    business: businessDashboard(),
    service: serviceDashboard(),
    infrastructure: infrastructureDashboard(),
    pipeline: pipelineDashboard(),
  };
}

/** File name (under dashboards/generated/) to JSON. */
export function dashboardFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [key, dashboard] of Object.entries(allDashboards())) files[`${key}.json`] = `${JSON.stringify(dashboard, null, 2)}\n`;
  return files;
}
