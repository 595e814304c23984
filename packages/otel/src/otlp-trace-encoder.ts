/**
 * Spans to an OTLP/protobuf ExportTraceServiceRequest, byte for byte what the
 * SDK's ProtobufTraceSerializer writes, in one pass instead of two (the SDK
 * sizes the whole request before writing it), into a buffer kept across
 * batches, with ids decoded in place and strings written by Node's UTF-8
 * encoder. Only the protobuf encoding is replaced; responses are still read by
 * the SDK's deserializer. test/otlp-trace-encoder.test.ts holds the two
 * encoders to the same bytes on adversarial spans.
 */
import type { Attributes, AttributeValue, HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { ProtobufWriter } from './protobuf-writer';

/** W3C trace flags in the low byte; bit 8 says whether bit 9 (the parent is remote) is known. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
/** Past this the buffer is given back after the request instead of kept. */
const KEPT_BUFFER_BYTES = 4 * 1024 * 1024;
/** A scope's spans start in this much and grow by doubling. */
const SCOPE_BUFFER_BYTES = 16 * 1024;

type Scope = ReadableSpan['instrumentationScope'] & { readonly attributes?: Attributes; readonly droppedAttributesCount?: number };
type Resource = ReadableSpan['resource'];

/** The spans of one resource and scope in the batch, already encoded as ScopeSpans' `spans` fields. */
interface ScopeSlot {
  readonly scope: Scope;
  readonly spans: ProtobufWriter;
  count: number;
  /** No span in this batch so far. */
  idle: boolean;
}

interface ResourceSlot {
  readonly resource: Resource;
  readonly scopes: Map<Scope, ScopeSlot>;
  /** The scopes with spans in this batch, in the order they first appeared. */
  readonly used: ScopeSlot[];
}

/**
 * A batch of spans held as bytes: each span is encoded as it is added, and its
 * object can be collected at once. `take` wraps them into one request, grouped
 * by resource and scope in the order they first appeared, as the SDK does.
 * Writers are kept per resource and scope from batch to batch.
 */
export class OtlpSpanBatch {
  private readonly resources = new Map<Resource, ResourceSlot>();
  private readonly used: ResourceSlot[] = [];
  private request = new ProtobufWriter();
  private spanCount = 0;
  private spanBytes = 0;

  get count(): number {
    return this.spanCount;
  }

  /** Bytes of the spans encoded so far. */
  get bytes(): number {
    return this.spanBytes;
  }

  /** Encodes `span` into the batch; a span that cannot be encoded leaves the batch as it was, and the error is thrown. */
  add(span: ReadableSpan): void {
    const slot = this.slotOf(span.resource, span.instrumentationScope as Scope);
    const writer = slot.spans;
    const before = writer.pos;
    try {
      writer.tag(2, 2);
      writeSpan(writer, span);
    } catch (error) {
      writer.pos = before;
      throw error;
    }
    if (slot.count === 0) this.markUsed(span.resource, slot);
    slot.count += 1;
    slot.idle = false;
    this.spanCount += 1;
    this.spanBytes += writer.pos - before;
  }

  /** The ExportTraceServiceRequest of everything added since the last call; the batch is empty afterwards. */
  take(): Uint8Array {
    const writer = this.request;
    writer.reset();
    for (const resourceSlot of this.used) {
      const resource = resourceSlot.resource;
      writer.tag(1, 2);
      const resourceSpans = writer.begin();
      writer.tag(1, 2);
      const resourceStart = writer.begin();
      writeAttributes(writer, resource.attributes, 1);
      writer.tag(2, 0);
      writer.varint(0);
      writer.end(resourceStart);
      for (const slot of resourceSlot.used) {
        writer.tag(2, 2);
        writeScopeSpans(writer, slot);
        slot.spans.reset();
        slot.count = 0;
      }
      resourceSlot.used.length = 0;
      if (resource.schemaUrl) {
        writer.tag(3, 2);
        writer.string(resource.schemaUrl);
      }
      writer.end(resourceSpans);
    }
    this.used.length = 0;
    this.spanCount = 0;
    this.spanBytes = 0;
    const body = writer.finish();
    if (writer.pos > KEPT_BUFFER_BYTES) this.request = new ProtobufWriter();
    this.forgetIdleScopes();
    return body;
  }

  /** Scopes with no span in the batch just taken lose their writer: an app that names a tracer per request holds no memory for it. */
  private forgetIdleScopes(): void {
    for (const [resource, resourceSlot] of this.resources) {
      for (const [scope, slot] of resourceSlot.scopes) {
        if (slot.idle) resourceSlot.scopes.delete(scope);
        else slot.spans.shrink(KEPT_BUFFER_BYTES);
        slot.idle = true;
      }
      if (resourceSlot.scopes.size === 0) this.resources.delete(resource);
    }
  }

  private slotOf(resource: Resource, scope: Scope): ScopeSlot {
    let resourceSlot = this.resources.get(resource);
    if (resourceSlot === undefined) this.resources.set(resource, (resourceSlot = { resource, scopes: new Map(), used: [] }));
    let slot = resourceSlot.scopes.get(scope);
    if (slot === undefined) resourceSlot.scopes.set(scope, (slot = { scope, spans: new ProtobufWriter(SCOPE_BUFFER_BYTES), count: 0, idle: false }));
    return slot;
  }

  private markUsed(resource: Resource, slot: ScopeSlot): void {
    const resourceSlot = this.resources.get(resource)!;
    if (resourceSlot.used.length === 0) this.used.push(resourceSlot);
    resourceSlot.used.push(slot);
  }
}

/** Spans to one request, for the SDK's batch processors (the http/protobuf exporter's serializer). */
export class OtlpTraceEncoder {
  private readonly batch = new OtlpSpanBatch();

  serializeRequest(spans: readonly ReadableSpan[]): Uint8Array {
    for (const span of spans) this.batch.add(span);
    return this.batch.take();
  }
}

function writeScopeSpans(writer: ProtobufWriter, slot: ScopeSlot): void {
  const start = writer.begin();
  const scope = slot.scope;
  writer.tag(1, 2);
  const scopeStart = writer.begin();
  writer.tag(1, 2);
  writer.string(scope.name);
  if (scope.version) {
    writer.tag(2, 2);
    writer.string(scope.version);
  }
  if (scope.attributes) writeAttributes(writer, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    writer.tag(4, 0);
    writer.varint(scope.droppedAttributesCount);
  }
  writer.end(scopeStart);
  writer.raw(slot.spans);
  if (scope.schemaUrl) {
    writer.tag(3, 2);
    writer.string(scope.schemaUrl);
  }
  writer.end(start);
}

function writeSpan(writer: ProtobufWriter, span: ReadableSpan): void {
  const start = writer.begin(2);
  const context = span.spanContext();
  writer.tag(1, 2);
  writer.hexBytes(context.traceId);
  writer.tag(2, 2);
  writer.hexBytes(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.tag(3, 2);
    writer.string(traceState);
  }
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
  writer.tag(7, 1);
  writeTime(writer, span.startTime);
  writer.tag(8, 1);
  writeTime(writer, span.endTime);
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

function spanFlags(traceFlags: SpanContext['traceFlags'], isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

function writeTime(writer: ProtobufWriter, time: HrTime): void {
  writer.hrTimeFixed64(time[0], time[1]);
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
  writer.tag(1, 2);
  writer.hexBytes(context.traceId);
  writer.tag(2, 2);
  writer.hexBytes(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.tag(3, 2);
    writer.string(traceState);
  }
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

function writeAttributes(writer: ProtobufWriter, attributes: Attributes, field: number): void {
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    writer.tag(field, 2);
    const start = writer.begin();
    writer.tag(1, 2);
    writer.string(key);
    writer.tag(2, 2);
    const value = writer.begin();
    writeAnyValue(writer, attributes[key]);
    writer.end(value);
    writer.end(start);
  }
}

/** AnyValue: what the SDK accepts as an attribute, plus the byte arrays and maps log bodies may carry. */
function writeAnyValue(writer: ProtobufWriter, value: AttributeValue | Uint8Array | Record<string, unknown> | null | undefined): void {
  switch (typeof value) {
    case 'string':
      writer.tag(1, 2);
      writer.string(value);
      return;
    case 'boolean':
      writer.tag(2, 0);
      writer.varint(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        writer.tag(3, 0);
        writer.varint(value);
      } else {
        writer.tag(4, 1);
        writer.double(value);
      }
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (value === null) return;
  if (value instanceof Uint8Array) {
    writer.tag(7, 2);
    writer.bytes(value);
  } else if (Array.isArray(value)) {
    writer.tag(5, 2);
    const array = writer.begin();
    for (const item of value) {
      writer.tag(1, 2);
      const itemStart = writer.begin();
      writeAnyValue(writer, item);
      writer.end(itemStart);
    }
    writer.end(array);
  } else {
    writer.tag(6, 2);
    const list = writer.begin();
    const map = value as Record<string, AttributeValue>;
    for (const key in map) {
      if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
      writer.tag(1, 2);
      const entry = writer.begin();
      writer.tag(1, 2);
      writer.string(key);
      writer.tag(2, 2);
      const inner = writer.begin();
      writeAnyValue(writer, map[key]);
      writer.end(inner);
      writer.end(entry);
    }
    writer.end(list);
  }
}
