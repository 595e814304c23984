/**
 * What the OTLP/protobuf encoders of spans and log records share: attribute
 * values, times, and the batch that groups encoded items by resource and scope.
 * The bytes are the SDK's serializers' (test/otlp-trace-encoder.test.ts,
 * test/otlp-log-encoder.test.ts).
 */
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ProtobufWriter } from './protobuf-writer';

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
/** Past this a buffer is given back after the request instead of kept. */
const KEPT_BUFFER_BYTES = 4 * 1024 * 1024;
/** A scope's items start in this much and grow by doubling. */
const SCOPE_BUFFER_BYTES = 16 * 1024;

type Scope = ReadableSpan['instrumentationScope'] & { readonly attributes?: Attributes; readonly droppedAttributesCount?: number };
type Resource = ReadableSpan['resource'];

/** What spans and log records have in common: where they come from. */
export interface BatchItem {
  readonly resource: Resource;
  readonly instrumentationScope: ReadableSpan['instrumentationScope'];
}

/** The items of one resource and scope in the batch, already encoded as the scope group's field 2. */
interface ScopeSlot {
  readonly scope: Scope;
  readonly items: ProtobufWriter;
  count: number;
  /** Nothing added in this batch so far. */
  idle: boolean;
}

interface ResourceSlot {
  readonly resource: Resource;
  readonly scopes: Map<Scope, ScopeSlot>;
  /** The scopes with items in this batch, in the order they first appeared. */
  readonly used: ScopeSlot[];
}

/**
 * A batch of spans or log records held as bytes: each item is encoded as it is
 * added, and its object can be collected at once. `take` wraps them into one
 * export request, grouped by resource and scope in the order they first
 * appeared, as the SDK's serializers do. Writers are kept per resource and
 * scope from batch to batch.
 *
 * Traces and logs number their envelopes alike: the request's field 1 holds
 * one ResourceSpans / ResourceLogs each (resource 1, scope groups 2, schema URL
 * 3), and a ScopeSpans / ScopeLogs holds its scope (1), items (2) and schema URL (3).
 */
export class OtlpBatch<T extends BatchItem> {
  private readonly resources = new Map<Resource, ResourceSlot>();
  private readonly used: ResourceSlot[] = [];
  private request = new ProtobufWriter();
  private itemCount = 0;
  private itemBytes = 0;

  /** `writeItem` writes one Span or LogRecord message, length included. */
  constructor(private readonly writeItem: (writer: ProtobufWriter, item: T) => void) {}

  get count(): number {
    return this.itemCount;
  }

  /** Bytes of the items encoded so far. */
  get bytes(): number {
    return this.itemBytes;
  }

  /** Encodes `item` into the batch; an item that cannot be encoded leaves the batch as it was, and the error is thrown. */
  add(item: T): void {
    const slot = this.slotOf(item.resource, item.instrumentationScope as Scope);
    const writer = slot.items;
    const before = writer.pos;
    try {
      writer.tag(2, 2);
      this.writeItem(writer, item);
    } catch (error) {
      writer.pos = before;
      throw error;
    }
    if (slot.count === 0) this.markUsed(item.resource, slot);
    slot.count += 1;
    slot.idle = false;
    this.itemCount += 1;
    this.itemBytes += writer.pos - before;
  }

  /** `items` added and taken as one request, in one call (what the SDK's serializers do with a batch). */
  encode(items: readonly T[]): Uint8Array {
    for (const item of items) this.add(item);
    return this.take();
  }

  /** The export request of everything added since the last call; the batch is empty afterwards. */
  take(): Uint8Array {
    const writer = this.request;
    writer.reset();
    for (const resourceSlot of this.used) {
      const resource = resourceSlot.resource;
      writer.tag(1, 2);
      const group = writer.begin();
      writer.tag(1, 2);
      const resourceStart = writer.begin();
      writeAttributes(writer, resource.attributes, 1);
      writer.tag(2, 0);
      writer.varint(0);
      writer.end(resourceStart);
      for (const slot of resourceSlot.used) {
        writer.tag(2, 2);
        writeScopeGroup(writer, slot);
        slot.items.reset();
        slot.count = 0;
      }
      resourceSlot.used.length = 0;
      if (resource.schemaUrl) {
        writer.tag(3, 2);
        writer.string(resource.schemaUrl);
      }
      writer.end(group);
    }
    this.used.length = 0;
    this.itemCount = 0;
    this.itemBytes = 0;
    const body = writer.finish();
    if (writer.pos > KEPT_BUFFER_BYTES) this.request = new ProtobufWriter();
    this.forgetIdleScopes();
    return body;
  }

  /** Scopes with nothing in the batch just taken lose their writer: an app that names a tracer per request holds no memory for it. */
  private forgetIdleScopes(): void {
    for (const [resource, resourceSlot] of this.resources) {
      for (const [scope, slot] of resourceSlot.scopes) {
        if (slot.idle) resourceSlot.scopes.delete(scope);
        else slot.items.shrink(KEPT_BUFFER_BYTES);
        slot.idle = true;
      }
      if (resourceSlot.scopes.size === 0) this.resources.delete(resource);
    }
  }

  private slotOf(resource: Resource, scope: Scope): ScopeSlot {
    let resourceSlot = this.resources.get(resource);
    if (resourceSlot === undefined) this.resources.set(resource, (resourceSlot = { resource, scopes: new Map(), used: [] }));
    let slot = resourceSlot.scopes.get(scope);
    if (slot === undefined) resourceSlot.scopes.set(scope, (slot = { scope, items: new ProtobufWriter(SCOPE_BUFFER_BYTES), count: 0, idle: false }));
    return slot;
  }

  private markUsed(resource: Resource, slot: ScopeSlot): void {
    const resourceSlot = this.resources.get(resource)!;
    if (resourceSlot.used.length === 0) this.used.push(resourceSlot);
    resourceSlot.used.push(slot);
  }
}

function writeScopeGroup(writer: ProtobufWriter, slot: ScopeSlot): void {
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
  writer.raw(slot.items);
  if (scope.schemaUrl) {
    writer.tag(3, 2);
    writer.string(scope.schemaUrl);
  }
  writer.end(start);
}

export function writeTime(writer: ProtobufWriter, time: HrTime): void {
  writer.hrTimeFixed64(time[0], time[1]);
}

/**
 * The encoded bytes of frozen attribute sets, per field number. Instrumentations
 * pass the same frozen object for every span of a statement shape or route (the
 * lean tracer keeps it as the span's attributes until something changes it), so
 * its bytes are written once and copied afterwards. Only sets of primitive values
 * are cached: a frozen object cannot change, but an array inside it could.
 */
const encodedAttributeSets = new Map<number, WeakMap<Attributes, Uint8Array | false>>();
const scratch = new ProtobufWriter(1024);

function encodedOnce(attributes: Attributes, field: number): Uint8Array | false {
  let byObject = encodedAttributeSets.get(field);
  if (byObject === undefined) encodedAttributeSets.set(field, (byObject = new WeakMap()));
  let encoded = byObject.get(attributes);
  if (encoded === undefined) {
    encoded = false;
    if (hasOnlyPrimitiveValues(attributes)) {
      scratch.reset();
      writeEachAttribute(scratch, attributes, field);
      encoded = scratch.finish();
    }
    byObject.set(attributes, encoded);
  }
  return encoded;
}

function hasOnlyPrimitiveValues(attributes: Attributes): boolean {
  for (const key in attributes) {
    const type = typeof attributes[key];
    if (type !== 'string' && type !== 'number' && type !== 'boolean' && attributes[key] !== undefined) return false;
  }
  return true;
}

export function writeAttributes(writer: ProtobufWriter, attributes: Attributes, field: number): void {
  if (Object.isFrozen(attributes)) {
    const encoded = encodedOnce(attributes, field);
    if (encoded !== false) {
      writer.rawBytes(encoded);
      return;
    }
  }
  writeEachAttribute(writer, attributes, field);
}

function writeEachAttribute(writer: ProtobufWriter, attributes: Attributes, field: number): void {
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
export function writeAnyValue(writer: ProtobufWriter, value: AttributeValue | Uint8Array | Record<string, unknown> | null | undefined): void {
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
    // A KeyValueList holds its entries as field 1, the same KeyValue messages as attributes.
    writer.tag(6, 2);
    const list = writer.begin();
    writeAttributes(writer, value as Attributes, 1);
    writer.end(list);
  }
}
