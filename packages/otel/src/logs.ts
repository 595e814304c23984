/** The logger provider: batched OTLP export of log records. */
import { ConsoleLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Resource } from '@opentelemetry/resources';
import type { O4oConfig } from './config';
import { createLogExporter } from './exporters';
import { BufferedOtlpExporter } from './buffered-exporter';
import { BoundedBatchLogRecordProcessor } from './bounded-processors';
import type { PipelineParts } from './pipeline';

export function createLoggerProvider(config: O4oConfig, resource: Resource, pipeline: PipelineParts): LoggerProvider {
  const { logs } = config;
  const processors = logs.exporters.map((name) => {
    const exporter = name === 'console' ? new ConsoleLogRecordExporter() : createLogExporter(logs.otlp, pipeline.export);
    if (exporter instanceof BufferedOtlpExporter) pipeline.crash.addBuffer(exporter.buffer);
    const processor = new BoundedBatchLogRecordProcessor(exporter, logs.batch);
    pipeline.crash.addQueue(processor);
    return processor;
  });
  return new LoggerProvider({
    resource,
    processors,
    logRecordLimits: { attributeCountLimit: logs.attributeCountLimit, attributeValueLengthLimit: logs.attributeValueLengthLimit },
  });
}
