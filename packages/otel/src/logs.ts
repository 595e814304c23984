/** The logger provider: batched OTLP export of log records. */
import { BatchLogRecordProcessor, ConsoleLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Resource } from '@opentelemetry/resources';
import type { O4oConfig } from './config';
import { createLogExporter } from './exporters';

export function createLoggerProvider(config: O4oConfig, resource: Resource): LoggerProvider {
  const { logs } = config;
  const processors = logs.exporters.map(
    (name) => new BatchLogRecordProcessor({ exporter: name === 'console' ? new ConsoleLogRecordExporter() : createLogExporter(logs.otlp), ...logs.batch }),
  );
  return new LoggerProvider({
    resource,
    processors,
    logRecordLimits: { attributeCountLimit: logs.attributeCountLimit, attributeValueLengthLimit: logs.attributeValueLengthLimit },
  });
}
