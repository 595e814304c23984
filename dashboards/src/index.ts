/** Public API: the dashboards and their queries, for tests and tools. Metric names and rules are @o4o/alerting's. */
export { allDashboards, dashboardFiles } from './boards';
export { DATASOURCES } from './datasources';
export { generatedFiles } from './files';
export { dashboardPanels, panelQueries, substituteVariables, TEST_VARIABLES } from './queries';
export type { PanelQuery } from './queries';
