/** Winston level names (npm, syslog, cli and OpenTelemetry sets) to OpenTelemetry severities. */
import { SeverityNumber } from '@opentelemetry/api';

const LEVELS: Readonly<Record<string, SeverityNumber>> = Object.freeze({
  // npm (winston's default)
  error: SeverityNumber.ERROR,
  warn: SeverityNumber.WARN,
  info: SeverityNumber.INFO,
  http: SeverityNumber.DEBUG3,
  verbose: SeverityNumber.DEBUG2,
  debug: SeverityNumber.DEBUG,
  silly: SeverityNumber.TRACE,
  // syslog
  emerg: SeverityNumber.FATAL3,
  alert: SeverityNumber.FATAL2,
  crit: SeverityNumber.FATAL,
  warning: SeverityNumber.WARN,
  notice: SeverityNumber.INFO2,
  // cli
  help: SeverityNumber.INFO3,
  data: SeverityNumber.INFO2,
  prompt: SeverityNumber.TRACE4,
  input: SeverityNumber.TRACE2,
  // OpenTelemetry-style
  fatal: SeverityNumber.FATAL,
  trace: SeverityNumber.TRACE,
});

export function severityOf(level: unknown): SeverityNumber {
  return typeof level === 'string' ? (LEVELS[level] ?? SeverityNumber.UNSPECIFIED) : SeverityNumber.UNSPECIFIED;
}
