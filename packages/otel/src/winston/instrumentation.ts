/**
 * Bridges an app's existing winston 3 loggers into OpenTelemetry, with the
 * preload alone:
 *
 * - every record gets `trace_id`, `span_id` and `trace_flags` of the active span,
 *   so the app's own outputs (console, files) can be joined to traces;
 * - a redaction step runs first in every logger's format, so no transport (the
 *   app's or ours) ever sees a password, token or card number;
 * - one transport per logger emits each record to the SDK's LoggerProvider,
 *   exported over OTLP with the record's severity and trace context.
 *
 * Why not `@opentelemetry/instrumentation-winston` with
 * `@opentelemetry/winston-transport`: that transport (0.34) emits through the
 * logs global of `@opentelemetry/api-logs` 0.223 (`Symbol.for('io.opentelemetry.js.api.logs')`),
 * while the 3.x SDK registers its provider on the `@opentelemetry/api` 1.10
 * global, so its records would reach a no-op provider; the instrumentation loads
 * the transport with an undeclared `require`; and neither can redact before
 * other transports. Using both at once also duplicates every record
 * (opentelemetry-js-contrib#2283). Do not add either next to this bridge.
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped } from '@opentelemetry/instrumentation';
import { createRedactor, type Redactor } from '../redaction';
import { DISTRIBUTION_VERSION } from '../version';
import { countRedactionWork } from './redaction-metrics';
import { toLogRecord } from './log-record';
import type { LoggerModule, WinstonLogger } from './internal-types';
import { redactingFormat } from './redacting-format';
import { LOG_CONTEXT } from './symbols';
import { OpenTelemetryTransport } from './transport';
import type { WinstonBridgeConfig } from './types';

export type { WinstonBridgeConfig } from './types';
export { redactingFormat } from './redacting-format';

const SUPPORTED = ['>=3 <4'];

export class WinstonBridge extends InstrumentationBase<WinstonBridgeConfig> {
  private readonly redact: Redactor;

  constructor(config: WinstonBridgeConfig = {}) {
    super('@o4o/otel/winston', DISTRIBUTION_VERSION, config);
    this.redact = createRedactor({ ...config.redaction, onWork: countRedactionWork() });
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const loggerFile = new InstrumentationNodeModuleFile(
      'winston/lib/winston/logger.js',
      SUPPORTED,
      (moduleExports: LoggerModule) => {
        this.unpatch(moduleExports);
        this._wrap(moduleExports.prototype, 'write', (original) => this.patchedWrite(original));
        this._wrap(moduleExports.prototype, 'configure', (original) => this.patchedConfigure(original));
        return moduleExports;
      },
      (moduleExports?: LoggerModule) => this.unpatch(moduleExports),
    );
    return [new InstrumentationNodeModuleDefinition('winston', SUPPORTED, (m: unknown) => m, () => undefined, [loggerFile])];
  }

  private unpatch(moduleExports: LoggerModule | undefined): void {
    if (moduleExports === undefined) return;
    if (isWrapped(moduleExports.prototype.write)) this._unwrap(moduleExports.prototype, 'write');
    if (isWrapped(moduleExports.prototype.configure)) this._unwrap(moduleExports.prototype, 'configure');
  }

  private patchedWrite(original: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
    return function write(this: unknown, ...args: unknown[]): unknown {
      const info = args[0] as Record<string | symbol, unknown> | undefined;
      if (info !== null && typeof info === 'object') {
        const active = context.active();
        const spanContext = trace.getSpan(active)?.spanContext();
        if (spanContext && isSpanContextValid(spanContext)) {
          info.trace_id = spanContext.traceId;
          info.span_id = spanContext.spanId;
          info.trace_flags = `0${spanContext.traceFlags.toString(16)}`;
        }
        // Kept off the enumerable fields: transports that serialise the record ignore symbols.
        Object.defineProperty(info, LOG_CONTEXT, { value: active, enumerable: false, configurable: true, writable: true });
      }
      return original.apply(this, args);
    };
  }

  private patchedConfigure(original: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
    const redact = this.redact;
    const sendLogs = (): boolean => this.getConfig().sendLogs !== false;
    const emit = (info: Record<string | symbol, unknown>): void => this.logger.emit(toLogRecord(info));
    const warn = (message: string): void => this._diag.warn(message);
    return function configure(this: WinstonLogger, ...args: unknown[]): unknown {
      const result = original.apply(this, args);
      try {
        this.format = redactingFormat(this.format, redact);
        // configure() clears the transports first, so each call leaves exactly one of ours.
        if (sendLogs()) this.add(new OpenTelemetryTransport(emit));
      } catch (error) {
        warn(`winston logger left unbridged: ${(error as Error).message}`);
      }
      return result;
    };
  }
}
