/**
 * Every PromQL query of a dashboard, with Grafana's variables replaced, so
 * tests can parse the queries offline and run them against a real Prometheus.
 */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** As committed, with `$service`, `$__rate_interval`, ... */
  readonly template: string;
  /** With every variable replaced. */
  readonly expr: string;
}

/**
 * Values for a test run: "All" for the dashboard variables, and the interval
 * Grafana would use for `$__rate_interval` with a 15 s scrape interval.
 */
export const TEST_VARIABLES: Readonly<Record<string, string>> = Object.freeze({
  service: '.*',
  environment: '.*',
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
});

/**
 * Replaces `$name` and `${name}`; names start with a letter or underscore, so
 * regex back-references like `"$1"` in label_replace stay. An unknown variable
 * is an error: a typo would otherwise reach Prometheus as text.
 */
export function substituteVariables(template: string, variables: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (_match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = variables[name];
    if (value === undefined) throw new Error(`unknown variable $${name} in query: ${template}`);
    return value;
  });
}

function isRow(panel: Panel | RowPanel): panel is RowPanel {
  return panel.type === 'row';
}

/** The panels of a dashboard, those inside collapsed rows included. */
export function dashboardPanels(dashboard: Dashboard): Panel[] {
  const panels: Panel[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (isRow(panel)) panels.push(...((panel.panels ?? []) as Panel[]));
    else panels.push(panel);
  }
  return panels;
}

export function panelQueries(dashboard: Dashboard, variables: Readonly<Record<string, string>> = TEST_VARIABLES): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const panel of dashboardPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      const template = (target as { expr?: unknown }).expr;
      if (typeof template !== 'string') continue;
      queries.push({
        dashboard: dashboard.uid ?? dashboard.title ?? '?',
        panel: panel.title ?? '?',
        refId: (target as { refId?: string }).refId ?? '?',
        template,
        expr: substituteVariables(template, variables),
      });
    }
  }
  return queries;
}
