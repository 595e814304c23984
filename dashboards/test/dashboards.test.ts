/** Structure of the dashboards: fixed uids, datasources by uid, links from overview down, variables. */
import { DASHBOARD_UIDS } from '@o4o/alerting';
import { allDashboards } from '../src/boards';
import { dashboardPanels, panelQueries, substituteVariables, TEST_VARIABLES } from '../src/queries';

const dashboards = allDashboards();

describe('dashboards', () => {
  test('each has its fixed uid', () => {
    for (const [key, dashboard] of Object.entries(dashboards)) expect(dashboard.uid).toBe(DASHBOARD_UIDS[key as keyof typeof DASHBOARD_UIDS]);
  });

  test.each(Object.entries(dashboards))('%s: every panel queries Prometheus by uid and has a description', (_key, dashboard) => {
    const panels = dashboardPanels(dashboard);
    expect(panels.length).toBeGreaterThan(3);
    for (const panel of panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
      expect(panel.description).toBeTruthy();
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
    const titles = panels.map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  test('every dashboard links to the others by uid', () => {
    for (const dashboard of Object.values(dashboards)) {
      const urls = (dashboard.links ?? []).map((l) => l.url);
      const others = Object.values(DASHBOARD_UIDS).filter((uid) => uid !== dashboard.uid);
      expect(urls.sort()).toEqual(others.map((uid) => `/d/${uid}`).sort());
    }
  });

  test('every overview panel links one level down', () => {
    for (const panel of dashboardPanels(dashboards.overview)) {
      expect(panel.links?.length).toBeGreaterThan(0);
      expect(panel.links?.[0].url).toMatch(/^\/d\/o4o-(business|service|infrastructure|pipeline)$/);
    }
  });

  test('overview and service dashboards have service and environment variables; business has environment', () => {
    const names = (key: keyof typeof dashboards): string[] => (dashboards[key].templating?.list ?? []).map((v) => v.name);
    expect(names('overview')).toEqual(['environment', 'service']);
    expect(names('service')).toEqual(['environment', 'service']);
    expect(names('business')).toEqual(['environment']);
  });

  test('span-metric latency shows exemplars for the Jaeger links', () => {
    const targets = dashboardPanels(dashboards.service).flatMap((p) => p.targets ?? []) as { expr?: string; exemplar?: boolean }[];
    expect(targets.filter((t) => t.exemplar).map((t) => t.expr)).toEqual([expect.stringContaining('traces_span_metrics_duration_seconds_bucket')]);
  });

  test('the business dashboard covers the guide: orders per hour, revenue, order value, conversion, roles, stock', () => {
    const exprs = panelQueries(dashboards.business).map((q) => q.template).join('\n');
    for (const name of ['o4o_orders_placed_total', 'o4o_revenue_total', 'o4o_order_value_sum', 'o4o_checkouts_started_total', 'user_role', 'o4o_products_out_of_stock']) expect(exprs).toContain(name);
  });
});

describe('substituteVariables', () => {
  test('replaces $name and ${name}, leaves regex references like "$1"', () => {
    expect(substituteVariables('rate(x{s=~"$service"}[${__rate_interval}]) and label_replace(y, "a", "$1", "b", "(.+)")', TEST_VARIABLES)).toBe(
      'rate(x{s=~".*"}[1m]) and label_replace(y, "a", "$1", "b", "(.+)")',
    );
  });

  test('an unknown variable is an error, not text sent to Prometheus', () => {
    expect(() => substituteVariables('x{a="$nope"}', TEST_VARIABLES)).toThrow(/unknown variable \$nope/);
  });
});
