/** Public API: the dashboards, their queries, the metric catalogue and the rules, for tests and tools. */
export { allDashboards, dashboardFiles } from './boards';
export { generatedFiles } from './files';
export { IDENTITY_RULE, withIdentity } from './identity';
export { DASHBOARD_UIDS, DATASOURCES, dashboardUrl, runbookUrl } from './links';
export type { DashboardKey } from './links';
export { BUSINESS, COLLECTOR, HOST, LABELS, ONLY_AFTER_FAILURE, PROBE, SERVICE, SPANS, knownSeriesNames } from './names';
export { parsePromql } from './promql';
export type { ParsedQuery } from './promql';
export { dashboardPanels, panelQueries, substituteVariables, TEST_VARIABLES } from './queries';
export type { PanelQuery } from './queries';
export { alertRules, THRESHOLDS } from './rules/alerts';
export { recordingRules, RECORDED } from './rules/recording';
export type { AlertRule, RecordingRule, RuleFile, RuleGroup, Severity } from './rules/types';
