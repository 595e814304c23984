/**
 * Spans to an OTLP/protobuf ExportTraceServiceRequest, byte for byte what the
 * SDK's ProtobufTraceSerializer writes, in one pass instead of two (the SDK
 * sizes the whole request before writing it), into a buffer kept across
 * batches, with ids decoded in place and strings written by Node's UTF-8
 * encoder. Only the protobuf encoding is replaced; responses are still read by
 * the SDK's deserializer. test/otlp-trace-encoder.test.ts holds the two
 * encoders to the same bytes on adversarial spans.
 */
import type { Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import type { ProtobufWriter } from './protobuf-writer';
import { OtlpBatch, writeAttributes, writeTime } from './otlp-batch';

/** Start and end as the lean tracer's spans hold them (tracer/span.ts). */
interface LeanSpanTimes {
  readonly startSeconds: number;
  readonly startNanos: number;
  readonly endSeconds: number;
  readonly endNanos: number;
}

/** W3C trace flags in the low byte; bit 8 says whether bit 9 (the parent is remote) is known. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

/** A batch of spans, each encoded as it is added. */
export function createSpanBatch(): OtlpBatch<ReadableSpan> {
  return new OtlpBatch<ReadableSpan>(writeSpan);
}

function writeSpan(writer: ProtobufWriter, span: ReadableSpan): void {
  const start = writer.begin(2);
  const context = span.spanContext();
  writeContext(writer, context);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.tag(4, 2);
    writer.hexBytes(parent.spanId);
  }
  writer.tag(5, 2);
  writer.string(span.name);
  // OTLP's SpanKind counts from SPAN_KIND_UNSPECIFIED = 0.
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    writer.tag(6, 0);
    writer.varint(kind);
  }
  const lean = span as Partial<LeanSpanTimes>;
  if (typeof lean.startSeconds === 'number') {
    // The lean tracer's spans keep their times as numbers: no array is made to write them.
    writer.tag(7, 1);
    writer.hrTimeFixed64(lean.startSeconds, lean.startNanos!);
    writer.tag(8, 1);
    writer.hrTimeFixed64(lean.endSeconds!, lean.endNanos!);
  } else {
    writer.tag(7, 1);
    writeTime(writer, span.startTime);
    writer.tag(8, 1);
    writeTime(writer, span.endTime);
  }
  if (span.attributes) writeAttributes(writer, span.attributes, 9);
  writer.tag(10, 0);
  writer.varint(span.droppedAttributesCount);
  for (const event of span.events) {
    writer.tag(11, 2);
    writeEvent(writer, event);
  }
  writer.tag(12, 0);
  writer.varint(span.droppedEventsCount);
  for (const link of span.links) {
    writer.tag(13, 2);
    writeLink(writer, link);
  }
  writer.tag(14, 0);
  writer.varint(span.droppedLinksCount);
  writer.tag(15, 2);
  writeStatus(writer, span.status);
  const flags = spanFlags(context.traceFlags, parent?.isRemote);
  writer.tag(16, 5);
  writer.fixed32(flags);
  writer.end(start, 2);
}

/** Trace id (1), span id (2) and trace state (3): the same fields in a Span and in a Link. */
function writeContext(writer: ProtobufWriter, context: SpanContext): void {
  writer.tag(1, 2);
  writer.hexBytes(context.traceId);
  writer.tag(2, 2);
  writer.hexBytes(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.tag(3, 2);
    writer.string(traceState);
  }
}

function spanFlags(traceFlags: SpanContext['traceFlags'], isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

function writeEvent(writer: ProtobufWriter, event: TimedEvent): void {
  const start = writer.begin();
  writer.tag(1, 1);
  writeTime(writer, event.time);
  writer.tag(2, 2);
  writer.string(event.name);
  if (event.attributes) writeAttributes(writer, event.attributes, 3);
  writer.tag(4, 0);
  writer.varint(event.droppedAttributesCount || 0);
  writer.end(start);
}

function writeLink(writer: ProtobufWriter, link: Link): void {
  const start = writer.begin();
  const context = link.context;
  writeContext(writer, context);
  if (link.attributes) writeAttributes(writer, link.attributes, 4);
  writer.tag(5, 0);
  writer.varint(link.droppedAttributesCount || 0);
  writer.tag(6, 5);
  writer.fixed32(spanFlags(context.traceFlags, context.isRemote));
  writer.end(start);
}

function writeStatus(writer: ProtobufWriter, status: SpanStatus): void {
  const start = writer.begin();
  if (status.message) {
    writer.tag(2, 2);
    writer.string(status.message);
  }
  writer.tag(3, 0);
  writer.varint(status.code);
  writer.end(start);
}

