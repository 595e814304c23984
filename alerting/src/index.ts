/** Public API: the alert and recording rules, the metric catalogue and the PromQL helpers they share with @o4o/dashboards. */
export { alertRules, THRESHOLDS } from './alerts';
export { checkQuery, recordedNames } from './check';
export type { QueryCheck } from './check';
export { generatedFiles } from './files';
export { staleGenerated, writeGenerated } from './generated';
export { HOLIDAY_INTERVAL, KR_PUBLIC_HOLIDAYS } from './holidays';
export { IDENTITY_RULE, withIdentity } from './identity';
export { DASHBOARD_UIDS, dashboardUrl, runbookUrl } from './links';
export type { DashboardKey } from './links';
export { BUSINESS, COLLECTOR, HOST, LABELS, ONLY_AFTER_FAILURE, PROBE, SERVICE, SPANS, knownSeriesNames } from './names';
export { parsePromql } from './promql';
export type { ParsedQuery } from './promql';
export { recordingRules, RECORDED } from './recording';
export type { AlertRule, RecordingRule, RuleFile, RuleGroup, Severity } from './types';
