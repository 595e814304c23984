/**
 * Offline PromQL checks with Prometheus' own lezer grammar: whether a query
 * parses, and which metric names it reads. Catches what the monitoring
 * guide's samples got wrong (`orders_total by (user_role)` does not parse)
 * before a query ever reaches Prometheus.
 */

/** The few members of lezer's syntax tree used here (the package ships ESM types; this package is CommonJS). */
interface SyntaxNodeRef {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly type: { readonly isError: boolean };
  readonly node: { readonly parent: { readonly name: string } | null };
}
interface PromqlParser {
  parse(input: string): { iterate(spec: { enter(node: SyntaxNodeRef): void }): void };
}
const { parser } = require('@prometheus-io/lezer-promql') as { parser: PromqlParser };

export interface ParsedQuery {
  readonly errors: readonly string[];
  readonly metricNames: readonly string[];
}

export function parsePromql(expr: string): ParsedQuery {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const metricNames = new Set<string>();
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 20), node.to + 20))}`);
      // VectorSelector > Identifier is the metric name (label names live in LabelMatchers/GroupingLabels).
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metricNames.add(expr.slice(node.from, node.to));
    },
  });
  return { errors, metricNames: [...metricNames] };
}
