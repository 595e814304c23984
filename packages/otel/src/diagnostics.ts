/**
 * The package's own voice: single lines on stderr, prefixed, never thrown.
 * Written with `process.stderr.write` so an app that patches `console` (or routes
 * it into a logger that is itself instrumented) cannot loop back into us.
 */
import { DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { LogLevel } from './config';
import { safeJson } from './safe-json';

const PREFIX = '@o4o/otel:';

export type Report = (line: string) => void;

export const report: Report = (line) => {
  try {
    process.stderr.write(`${PREFIX} ${line}\n`);
  } catch {
    // stderr closed: nothing sensible left to do
  }
};

/**
 * Reports a recurring problem at most once per interval, with a count of what was
 * held back. Export failures against a dead collector repeat every batch; one line
 * a minute says everything the operator needs.
 */
export function createThrottledReporter(intervalMillis: number, sink: Report = report, now: () => number = Date.now): Report {
  let lastReportAt = -Infinity;
  let suppressed = 0;
  return (line) => {
    const t = now();
    if (t - lastReportAt < intervalMillis) {
      suppressed += 1;
      return;
    }
    const held = suppressed > 0 ? ` (${suppressed} similar in the last ${Math.round((t - lastReportAt) / 1000)}s)` : '';
    lastReportAt = t;
    suppressed = 0;
    sink(`${line}${held}`);
  };
}

/**
 * Adds up keyed counts and writes at most one summary line per interval,
 * naming what happened since the last line. For recurring events whose kinds
 * matter (which values were rejected, what was dropped).
 */
export function createTallyReporter(
  intervalMillis: number,
  describe: (key: string, count: number) => string,
  line: (summary: string) => string,
  sink: Report = report,
  now: () => number = Date.now,
): (key: string, count?: number) => void {
  const tally = new Map<string, number>();
  let lastReportAt = -Infinity;
  return (key, count = 1) => {
    tally.set(key, (tally.get(key) ?? 0) + count);
    const t = now();
    if (t - lastReportAt < intervalMillis) return;
    lastReportAt = t;
    const summary = [...tally].map(([k, n]) => describe(k, n)).join(', ');
    tally.clear();
    sink(line(summary));
  };
}

const LEVELS: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

export function toDiagLogLevel(level: LogLevel): DiagLogLevel {
  return LEVELS[level];
}

function describe(message: string, args: unknown[]): string {
  const parts = [message, ...args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a)))];
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** Routes the SDK's diagnostics: errors and warnings throttled, the rest as they come. */
export function createDiagLogger(problems: Report): DiagLogger {
  return {
    error: (message, ...args) => problems(describe(message, args)),
    warn: (message, ...args) => problems(describe(message, args)),
    info: (message, ...args) => report(describe(message, args)),
    debug: (message, ...args) => report(describe(message, args)),
    verbose: (message, ...args) => report(describe(message, args)),
  };
}
