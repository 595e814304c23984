/** Small builders shared by every dashboard: queries, panels, variables, links. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardLinkBuilder, DashboardLinkType, QueryVariableBuilder, VariableRefresh, VariableSort, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { DASHBOARD_UIDS, type DashboardKey, IDENTITY_RULE, LABELS } from '@o4o/alerting';
import { DATASOURCES } from './datasources';

export const PROMETHEUS = DATASOURCES.prometheus;

/** Selector of the dashboard's service and environment variables on recorded series. */
export const SERVICE_SELECTOR = `{${LABELS.service}=~"$service", ${LABELS.environment}=~"$environment"}`;
export const ENVIRONMENT_SELECTOR = `{${LABELS.environment}=~"$environment"}`;

export interface QuerySpec {
  readonly expr: string;
  readonly legend?: string;
  /** Show trace exemplars (span metrics carry them; Grafana links them to Jaeger). */
  readonly exemplar?: boolean;
}

function target(spec: QuerySpec, index: number): DataqueryBuilder {
  const q = new DataqueryBuilder()
    .datasource(PROMETHEUS)
    .refId(String.fromCharCode(65 + index))
    .expr(spec.expr)
    .legendFormat(spec.legend ?? '__auto');
  return spec.exemplar ? q.exemplar(true) : q;
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly queries: readonly QuerySpec[];
  /** Width in grid columns (24 is the full row). @default 12 */
  readonly span?: number;
  readonly height?: number;
  /** Dashboards a click on the panel leads to, one level down. */
  readonly drillDown?: readonly DashboardKey[];
  readonly min?: number;
  readonly max?: number;
}

function drillLinks(keys: readonly DashboardKey[] = []): DashboardLinkBuilder[] {
  return keys.map((key) => dashboardLink(key));
}

export function timeseries(spec: PanelSpec): Builder<Panel> {
  let panel = new TimeseriesPanel()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .span(spec.span ?? 12)
    .height(spec.height ?? 8)
    .fillOpacity(10)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).calcs(['lastNotNull', 'max']));
  if (spec.min !== undefined) panel = panel.min(spec.min);
  if (spec.max !== undefined) panel = panel.max(spec.max);
  if (spec.drillDown?.length) panel = panel.links(drillLinks(spec.drillDown));
  spec.queries.forEach((q, i) => (panel = panel.withTarget(target(q, i))));
  return panel;
}

export function stat(spec: PanelSpec): Builder<Panel> {
  let panel = new StatPanel()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .span(spec.span ?? 6)
    .height(spec.height ?? 5)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
  if (spec.drillDown?.length) panel = panel.links(drillLinks(spec.drillDown));
  spec.queries.forEach((q, i) => (panel = panel.withTarget(target(q, i).instant())));
  return panel;
}

const TITLES: Record<DashboardKey, string> = {
  overview: 'O4O overview',
  business: 'O4O business',
  service: 'O4O service',
  infrastructure: 'O4O infrastructure',
  pipeline: 'O4O telemetry pipeline',
};

export function dashboardTitle(key: DashboardKey): string {
  return TITLES[key];
}

/** A link to another dashboard by uid, carrying the time range and variables. */
export function dashboardLink(key: DashboardKey): DashboardLinkBuilder {
  return new DashboardLinkBuilder(TITLES[key])
    .type(DashboardLinkType.Link)
    .url(`/d/${DASHBOARD_UIDS[key]}`)
    .icon('dashboard')
    .tooltip(`Open ${TITLES[key]}`)
    .includeVars(true)
    .keepTime(true)
    .targetBlank(false);
}

export function environmentVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('environment')
    .label('Environment')
    .description('deployment.environment.name of the services (All includes services that set none).')
    .datasource(PROMETHEUS)
    .query(`label_values(${IDENTITY_RULE}, ${LABELS.environment})`)
    .definition(`label_values(${IDENTITY_RULE}, ${LABELS.environment})`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' })
    .multi(true);
}

export function serviceVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('service')
    .label('Service')
    .description('service.name of the services in the chosen environments.')
    .datasource(PROMETHEUS)
    .query(`label_values(${IDENTITY_RULE}{${LABELS.environment}=~"$environment"}, ${LABELS.service})`)
    .definition(`label_values(${IDENTITY_RULE}{${LABELS.environment}=~"$environment"}, ${LABELS.service})`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' })
    .multi(true);
}
