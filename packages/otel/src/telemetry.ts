/**
 * Starts the SDK from a parsed configuration: context, propagation, the three
 * providers and the instrumentations. Returns a handle to flush and stop them.
 */
import { context, diag, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator, setGlobalErrorHandler } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { O4oConfig } from './config';
import { createDiagLogger, createThrottledReporter, toDiagLogLevel, type Report } from './diagnostics';
import { createInstrumentations } from './instrumentations';
import { createLoggerProvider } from './logs';
import { createMeterProvider } from './metrics';
import { createResource } from './resource';
import { createTracerProvider } from './traces';
import { CrashFlush } from './crash-flush';
import type { PipelineParts } from './pipeline';

export interface Telemetry {
  readonly config: O4oConfig;
  /** Exports everything buffered; resolves when done or when the deadline passes. */
  forceFlush(timeoutMillis?: number): Promise<void>;
  /** Flushes, then stops exporters and the metrics endpoint. Idempotent. */
  shutdown(timeoutMillis?: number): Promise<void>;
  /** What a dying process delivers synchronously (see crash-flush.ts). */
  readonly crashFlush: CrashFlush;
}

/** How often a recurring export failure may be reported. */
const PROBLEM_REPORT_INTERVAL_MILLIS = 60_000;

/** Resolves when `work` settles or `millis` pass, whichever is first; never rejects. */
export function withDeadline(work: Promise<unknown>, millis: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, millis);
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

export function startTelemetry(config: O4oConfig, say: Report): Telemetry {
  // Separate budgets, so a stream of SDK warnings cannot hide the export failure line.
  const sdkProblems = createThrottledReporter(PROBLEM_REPORT_INTERVAL_MILLIS, say);
  const exportFailures = createThrottledReporter(PROBLEM_REPORT_INTERVAL_MILLIS, say);
  diag.setLogger(createDiagLogger(sdkProblems), { logLevel: toDiagLogLevel(config.logLevel), suppressOverrideMessage: true });
  setGlobalErrorHandler((error) => exportFailures(`telemetry export failed: ${error instanceof Error ? error.message : String(error)}`));

  const resource = createResource(config);
  const pipeline: PipelineParts = {
    export: { bufferBytes: config.exportBufferBytes, reportFailure: exportFailures },
    crash: new CrashFlush(),
  };
  const tracerProvider = createTracerProvider(config, resource, pipeline);
  const meterProvider = createMeterProvider(config, resource, say, pipeline);
  const loggerProvider = createLoggerProvider(config, resource, pipeline);

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  logs.setGlobalLoggerProvider(loggerProvider);

  const disableInstrumentations = registerInstrumentations({
    instrumentations: createInstrumentations(config, say),
    tracerProvider,
    meterProvider,
    loggerProvider,
  });

  let stopping: Promise<void> | undefined;
  const flushAll = (): Promise<unknown> =>
    Promise.allSettled([tracerProvider.forceFlush(), meterProvider.forceFlush(), loggerProvider.forceFlush()]);

  return {
    config,
    crashFlush: pipeline.crash,
    forceFlush: (timeoutMillis = config.shutdownTimeoutMillis) => withDeadline(flushAll(), timeoutMillis),
    shutdown: (timeoutMillis = config.shutdownTimeoutMillis) => {
      pipeline.crash.standDown();
      stopping ??= withDeadline(
        (async () => {
          disableInstrumentations();
          await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
        })(),
        timeoutMillis,
      );
      return stopping;
    },
  };
}
