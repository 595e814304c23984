/** The logger provider: batched OTLP export of log records (over protobuf, encoded as they are emitted). */
import { ConsoleLogRecordExporter, LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { Resource } from '@opentelemetry/resources';
import type { O4oConfig } from './config';
import { createBatchSink, createLogExporter } from './exporters';
import { EncodingLogRecordProcessor } from './encoding-processors';
import { BufferedOtlpExporter } from './buffered-exporter';
import { BoundedBatchLogRecordProcessor } from './bounded-processors';
import type { PipelineParts } from './pipeline';

export function createLoggerProvider(config: O4oConfig, resource: Resource, pipeline: PipelineParts): LoggerProvider {
  const { logs } = config;
  const processors = logs.exporters.map((name): LogRecordProcessor => {
    if (name === 'otlp' && logs.otlp.protocol === 'http/protobuf') {
      const sink = createBatchSink('logs', logs.otlp, pipeline.export);
      pipeline.crash.addBuffer(sink.buffer);
      const processor = new EncodingLogRecordProcessor({ sink, settings: logs.batch, reportFailure: pipeline.export.reportFailure });
      pipeline.crash.addQueue(processor);
      return processor;
    }
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
