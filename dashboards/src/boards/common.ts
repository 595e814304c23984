/** The frame every O4O dashboard shares: uid, tags, time, links to the others. */
import { DashboardBuilder, DashboardCursorSync } from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARD_UIDS, type DashboardKey } from '@o4o/alerting';
import { dashboardLink, dashboardTitle } from '../panels';

const ORDER: readonly DashboardKey[] = ['overview', 'business', 'service', 'infrastructure', 'pipeline'];

export function baseDashboard(key: DashboardKey, description: string): DashboardBuilder {
  return new DashboardBuilder(dashboardTitle(key))
    .uid(DASHBOARD_UIDS[key])
    .description(description)
    .tags(['o4o', 'generated'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .links(ORDER.filter((k) => k !== key).map((k) => dashboardLink(k)));
}
