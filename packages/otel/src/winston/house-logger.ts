/**
 * `createLogger()`: the platform's house log format from the monitoring guide,
 * JSON lines with timestamp, level, message, service, environment, then the
 * record's own fields, error stacks included, redacted before any transport.
 * Under the preload the bridge also sends each record over OTLP, once.
 *
 * winston is an optional peer dependency: it is loaded when createLogger() is
 * first called, from the app's own installation.
 */
import type { Logger, LoggerOptions } from 'winston';
import { getActiveTelemetry } from '../active';
import { createRedactor, type RedactionOptions } from '../redaction';
import { safeJson } from '../safe-json';
import { countRedactionWork } from './redaction-metrics';
import { REDACTING } from './symbols';

export interface HouseLoggerOptions {
  /** @default the preload's service.name, else `o4o-platform` */
  readonly service?: string;
  /** @default the resource attribute `deployment.environment.name`, else `development` */
  readonly environment?: string;
  /** @default `info` */
  readonly level?: string;
  /** @default the preload's O4O_OTEL_LOG_REDACT_KEYS / O4O_OTEL_LOG_MASK_EMAILS, else built-ins with e-mail masking */
  readonly redaction?: RedactionOptions;
  /** Extra winston transports besides the console (stdout). */
  readonly transports?: LoggerOptions['transports'];
}

const MESSAGE = Symbol.for('message');
const HEAD = ['timestamp', 'level', 'message', 'service', 'environment'];

/** The house line for one record: the head fields in a fixed order, then the rest. */
export function houseLine(info: Record<string, unknown>, service: string, environment: string): string {
  const line: Record<string, unknown> = { timestamp: info.timestamp, level: info.level, message: info.message, service, environment };
  for (const [key, value] of Object.entries(info)) if (!HEAD.includes(key)) line[key] = value;
  return safeJson(line);
}

export function createLogger(options: HouseLoggerOptions = {}): Logger {
  const winston = require('winston') as typeof import('winston');
  const config = getActiveTelemetry()?.config;
  const attributes = config?.resourceAttributes ?? {};
  const service = options.service ?? config?.serviceName ?? 'o4o-platform';
  const environment = options.environment ?? attributes['deployment.environment.name'] ?? attributes['deployment.environment'] ?? 'development';
  const redact = createRedactor({ ...(options.redaction ?? config?.logs.redaction), onWork: countRedactionWork() });

  const { combine, timestamp, errors } = winston.format;
  const redactFirst = winston.format((info) => redact(info))();
  const house = winston.format((info) => {
    (info as unknown as Record<symbol, string>)[MESSAGE] = houseLine(info, service, environment);
    return info;
  })();
  const format = Object.assign(combine(redactFirst, errors({ stack: true }), timestamp(), house), { [REDACTING]: true as const });

  const extra = options.transports === undefined ? [] : Array.isArray(options.transports) ? options.transports : [options.transports];
  return winston.createLogger({
    level: options.level ?? 'info',
    format,
    transports: [new winston.transports.Console(), ...extra],
  });
}
