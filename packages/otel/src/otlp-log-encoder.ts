/**
 * Log records to an OTLP/protobuf ExportLogsServiceRequest, byte for byte what
 * the SDK's ProtobufLogsSerializer writes, one record at a time as it is
 * emitted (see otlp-batch.ts). test/otlp-log-encoder.test.ts holds the two
 * encoders to the same bytes on adversarial records.
 */
import type { AnyValue } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ProtobufWriter } from './protobuf-writer';
import { OtlpBatch, writeAnyValue, writeAttributes, writeTime } from './otlp-batch';

/** SeverityNumber.UNSPECIFIED: not written, as the SDK does not. */
const SEVERITY_UNSPECIFIED = 0;

/** A batch of log records, each encoded as it is added. */
export function createLogBatch(): OtlpBatch<ReadableLogRecord> {
  return new OtlpBatch<ReadableLogRecord>(writeLogRecord);
}

function writeLogRecord(writer: ProtobufWriter, record: ReadableLogRecord): void {
  const start = writer.begin(2);
  writer.tag(1, 1);
  writeTime(writer, record.hrTime);
  if (record.severityNumber !== undefined && record.severityNumber !== SEVERITY_UNSPECIFIED) {
    writer.tag(2, 0);
    writer.varint(record.severityNumber);
  }
  if (record.severityText) {
    writer.tag(3, 2);
    writer.string(record.severityText);
  }
  if (record.body !== undefined) {
    writer.tag(5, 2);
    const body = writer.begin();
    writeAnyValue(writer, record.body as AnyValue);
    writer.end(body);
  }
  if (record.attributes) writeAttributes(writer, record.attributes, 6);
  writer.tag(7, 0);
  writer.varint(record.droppedAttributesCount);
  const context = record.spanContext;
  if (context?.traceFlags) {
    writer.tag(8, 5);
    writer.fixed32(context.traceFlags);
  }
  if (context?.traceId) {
    writer.tag(9, 2);
    writer.hexBytes(context.traceId);
  }
  if (context?.spanId) {
    writer.tag(10, 2);
    writer.hexBytes(context.spanId);
  }
  writer.tag(11, 1);
  writeTime(writer, record.hrTimeObserved);
  if (record.eventName) {
    writer.tag(12, 2);
    writer.string(record.eventName);
  }
  writer.end(start, 2);
}
