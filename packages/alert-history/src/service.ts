/**
 * The running service: the webhook server plus an OpenTelemetry logger that
 * exports each history record over OTLP/HTTP to the collector, which sends it
 * to the log store with every other log record.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { HistoryConfig } from './config';
import { startHistoryServer, type HistoryServer } from './server';

export interface AlertHistoryService {
  readonly url: string;
  /** Stops accepting notifications and flushes what was recorded (bounded by the export timeout). */
  stop(): Promise<void>;
}

export async function startAlertHistory(config: HistoryConfig): Promise<AlertHistoryService> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    processors: [
      new BatchLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${config.otlpEndpoint.replace(/\/$/, '')}/v1/logs`, timeoutMillis: config.exportTimeoutMillis }),
        scheduledDelayMillis: 1000,
        maxQueueSize: 10_000,
      }),
    ],
  });
  const logger = provider.getLogger('@o4o/alert-history');
  let server: HistoryServer;
  try {
    server = await startHistoryServer({
      host: config.host,
      port: config.port,
      record: (entry) => logger.emit({ body: entry.body, severityNumber: entry.severityNumber, severityText: entry.severityText, attributes: entry.attributes }),
    });
  } catch (error) {
    await provider.shutdown();
    throw error;
  }
  return {
    url: server.url,
    stop: async () => {
      await server.close();
      await provider.shutdown();
    },
  };
}
