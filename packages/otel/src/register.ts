/**
 * What `--require @o4o/otel/register` (and, through register.mjs, `--import`)
 * runs. It never throws: a failed start says so once and the app runs
 * uninstrumented. Worker threads are left alone: the main thread's SDK already
 * covers the process, and a second one would double every export.
 */
import { isMainThread } from 'node:worker_threads';
import { parseConfig } from './config';
import { describeConfig } from './config-summary';
import { report } from './diagnostics';
import { installShutdownHooks } from './shutdown';
import { installCrashFlush } from './crash-flush';
import { startTelemetry } from './telemetry';
import { getActiveTelemetry, setActiveTelemetry } from './active';

function register(): void {
  if (!isMainThread || getActiveTelemetry() !== undefined) return;
  try {
    const { config, diagnostics } = parseConfig(process.env);
    for (const line of diagnostics) report(line);
    if (config.disabled) {
      report('OTEL_SDK_DISABLED=true: telemetry is off');
      return;
    }
    const telemetry = startTelemetry(config, report);
    setActiveTelemetry(telemetry);
    installShutdownHooks(telemetry);
    installCrashFlush(telemetry.crashFlush, config.crashFlushTimeoutMillis, report);
    report(describeConfig(config));
  } catch (error) {
    report(`could not start (${(error as Error)?.message ?? String(error)}); the app runs without telemetry`);
  }
}

register();
