/** One PromQL query checked against the catalogue: the rules' tests and the dashboards' tests ask the same question. */
import { knownSeriesNames } from './names';
import { parsePromql } from './promql';
import { recordingRules } from './recording';
import type { RecordingRule } from './types';

export interface QueryCheck {
  /** Syntax errors; empty when the query parses. */
  readonly errors: readonly string[];
  /** Metric names read that are neither catalogued series nor recording rules. */
  readonly unknownMetrics: readonly string[];
}

/** Every recording rule's name: series a query may read besides the catalogue. */
export function recordedNames(): ReadonlySet<string> {
  return new Set(recordingRules().groups.flatMap((g) => g.rules.map((r) => (r as RecordingRule).record)));
}

export function checkQuery(expr: string): QueryCheck {
  const known = knownSeriesNames();
  const recorded = recordedNames();
  const parsed = parsePromql(expr);
  return { errors: parsed.errors, unknownMetrics: parsed.metricNames.filter((name) => !known.has(name) && !recorded.has(name)) };
}
