/** doctor's report: one line per check, and under each problem the fix. */

export type CheckStatus = 'ok' | 'problem' | 'skipped';

export interface CheckResult {
  /** What was checked, e.g. `Jaeger` or `collector exporter otlp_grpc/jaeger`. */
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found, on one line. */
  readonly detail: string;
  /** For a problem: what to do about it. */
  readonly fix?: string;
}

const MARK: Readonly<Record<CheckStatus, string>> = { ok: 'ok  ', problem: 'FAIL', skipped: 'skip' };

export function renderDoctor(results: readonly CheckResult[]): string[] {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.flatMap((r) => {
    const line = `${MARK[r.status]}  ${r.name.padEnd(width)}  ${r.detail}`;
    return r.status === 'problem' && r.fix ? [line, `      ${' '.repeat(width)}  fix: ${r.fix}`] : [line];
  });
  const problems = results.filter((r) => r.status === 'problem').length;
  lines.push('', problems === 0 ? 'No problems found.' : `${problems} problem${problems === 1 ? '' : 's'} found.`);
  return lines;
}
