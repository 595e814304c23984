#!/usr/bin/env node
/**
 * o4o-alert-history: receives Alertmanager webhooks on
 * ALERT_HISTORY_HOST:ALERT_HISTORY_PORT (default 127.0.0.1:9097) and sends each
 * alert as a log record to OTEL_EXPORTER_OTLP_ENDPOINT (default
 * http://127.0.0.1:4318). Flushes and exits on SIGTERM or SIGINT.
 */
import { parseConfig } from './config';
import { startAlertHistory } from './service';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const service = await startAlertHistory(config);
  console.error(`o4o-alert-history: listening on ${service.url}/alerts, exporting to ${config.otlpEndpoint}/v1/logs as service.name=${config.serviceName}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.error(`o4o-alert-history: ${signal}, flushing`);
    service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`o4o-alert-history: ${(error as Error).message}`);
  process.exit(1);
});
