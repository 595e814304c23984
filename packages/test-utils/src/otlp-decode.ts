/**
 * Decodes OTLP export requests (protobuf or JSON) into one plain shape, so tests
 * assert on spans and log records without caring how they travelled.
 */
import { asBytes, asDouble, asFixed64, asInt64, asString, asVarint, readFields, type WireValue } from './protobuf-reader';

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface Scope {
  readonly name: string;
  readonly version: string;
}

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Attributes;
  readonly events: { readonly name: string; readonly attributes: Attributes }[];
  /** 0 unset, 1 ok, 2 error. */
  readonly status: { readonly code: number; readonly message: string };
  readonly resource: Attributes;
  readonly scope: Scope;
}

export interface ReceivedLogRecord {
  readonly timeUnixNano: bigint;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AttributeValue;
  readonly attributes: Attributes;
  readonly traceId: string;
  readonly spanId: string;
  readonly resource: Attributes;
  readonly scope: Scope;
}

/** One data point of a sum (counter): its attributes and value. */
export interface ReceivedSumPoint {
  readonly attributes: Attributes;
  readonly value: number;
}

export interface ReceivedMetric {
  readonly name: string;
  readonly unit: string;
  readonly resource: Attributes;
  readonly scope: Scope;
  /** Data points when the metric is a sum; empty for other kinds. */
  readonly sumPoints: ReceivedSumPoint[];
}

// ---- protobuf ----

function pbAnyValue(buf: Buffer): AttributeValue {
  for (const { field, value } of readFields(buf)) {
    switch (field) {
      case 1:
        return asString(value);
      case 2:
        return asVarint(value) !== 0n;
      case 3:
        return Number(asInt64(value));
      case 4:
        return asDouble(value);
      case 5:
        return readFields(asBytes(value)).filter((f) => f.field === 1).map((f) => pbAnyValue(asBytes(f.value)));
      case 6:
        return pbKeyValues(readFields(asBytes(value)).filter((f) => f.field === 1).map((f) => f.value));
      case 7:
        return asBytes(value).toString('hex');
    }
  }
  return null;
}

function pbKeyValues(values: WireValue[]): Attributes {
  const out: Attributes = {};
  for (const kv of values) {
    let key = '';
    let val: AttributeValue = null;
    for (const { field, value } of readFields(asBytes(kv))) {
      if (field === 1) key = asString(value);
      if (field === 2) val = pbAnyValue(asBytes(value));
    }
    out[key] = val;
  }
  return out;
}

function pbResource(buf: Buffer): Attributes {
  return pbKeyValues(readFields(buf).filter((f) => f.field === 1).map((f) => f.value));
}

function pbScope(buf: Buffer): Scope {
  let name = '';
  let version = '';
  for (const { field, value } of readFields(buf)) {
    if (field === 1) name = asString(value);
    if (field === 2) version = asString(value);
  }
  return { name, version };
}

/** Walks resource -> scope -> item nesting shared by all three signals. */
function pbWalk<T>(body: Buffer, decodeItem: (buf: Buffer, resource: Attributes, scope: Scope) => T): T[] {
  const items: T[] = [];
  for (const top of readFields(body)) {
    if (top.field !== 1) continue;
    let resource: Attributes = {};
    const scoped: Buffer[] = [];
    for (const { field, value } of readFields(asBytes(top.value))) {
      if (field === 1) resource = pbResource(asBytes(value));
      if (field === 2) scoped.push(asBytes(value));
    }
    for (const s of scoped) {
      let scope: Scope = { name: '', version: '' };
      const raw: Buffer[] = [];
      for (const { field, value } of readFields(s)) {
        if (field === 1) scope = pbScope(asBytes(value));
        if (field === 2) raw.push(asBytes(value));
      }
      for (const r of raw) items.push(decodeItem(r, resource, scope));
    }
  }
  return items;
}

function pbSpan(buf: Buffer, resource: Attributes, scope: Scope): ReceivedSpan {
  const span = {
    traceId: '', spanId: '', parentSpanId: '', name: '', kind: 0,
    startTimeUnixNano: 0n, endTimeUnixNano: 0n, attributes: {} as Attributes,
    events: [] as ReceivedSpan['events'][number][], status: { code: 0, message: '' }, resource, scope,
  };
  const attrs: WireValue[] = [];
  for (const { field, value } of readFields(buf)) {
    switch (field) {
      case 1: span.traceId = asBytes(value).toString('hex'); break;
      case 2: span.spanId = asBytes(value).toString('hex'); break;
      case 4: span.parentSpanId = asBytes(value).toString('hex'); break;
      case 5: span.name = asString(value); break;
      case 6: span.kind = Number(asVarint(value)); break;
      case 7: span.startTimeUnixNano = asFixed64(value); break;
      case 8: span.endTimeUnixNano = asFixed64(value); break;
      case 9: attrs.push(value); break;
      case 11: {
        let name = '';
        const eventAttrs: WireValue[] = [];
        for (const f of readFields(asBytes(value))) {
          if (f.field === 2) name = asString(f.value);
          if (f.field === 3) eventAttrs.push(f.value);
        }
        span.events.push({ name, attributes: pbKeyValues(eventAttrs) });
        break;
      }
      case 15:
        for (const f of readFields(asBytes(value))) {
          if (f.field === 2) span.status.message = asString(f.value);
          if (f.field === 3) span.status.code = Number(asVarint(f.value));
        }
        break;
    }
  }
  span.attributes = pbKeyValues(attrs);
  return span;
}

function pbLogRecord(buf: Buffer, resource: Attributes, scope: Scope): ReceivedLogRecord {
  const log = {
    timeUnixNano: 0n, severityNumber: 0, severityText: '', body: null as AttributeValue,
    attributes: {} as Attributes, traceId: '', spanId: '', resource, scope,
  };
  const attrs: WireValue[] = [];
  for (const { field, value } of readFields(buf)) {
    switch (field) {
      case 1: log.timeUnixNano = asFixed64(value); break;
      case 2: log.severityNumber = Number(asVarint(value)); break;
      case 3: log.severityText = asString(value); break;
      case 5: log.body = pbAnyValue(asBytes(value)); break;
      case 6: attrs.push(value); break;
      case 9: log.traceId = asBytes(value).toString('hex'); break;
      case 10: log.spanId = asBytes(value).toString('hex'); break;
    }
  }
  log.attributes = pbKeyValues(attrs);
  return log;
}

function pbNumberPoint(buf: Buffer): ReceivedSumPoint {
  const attrs: WireValue[] = [];
  let value = 0;
  for (const { field, value: v } of readFields(buf)) {
    if (field === 7) attrs.push(v);
    if (field === 4) value = asDouble(v);
    if (field === 6) value = Number(BigInt.asIntN(64, asFixed64(v)));
  }
  return { attributes: pbKeyValues(attrs), value };
}

function pbMetric(buf: Buffer, resource: Attributes, scope: Scope): ReceivedMetric {
  let name = '';
  let unit = '';
  const sumPoints: ReceivedSumPoint[] = [];
  for (const { field, value } of readFields(buf)) {
    if (field === 1) name = asString(value);
    if (field === 3) unit = asString(value);
    if (field === 7) for (const f of readFields(asBytes(value))) if (f.field === 1) sumPoints.push(pbNumberPoint(asBytes(f.value)));
  }
  return { name, unit, resource, scope, sumPoints };
}

// ---- JSON ----

interface JsonKeyValue { key: string; value?: JsonAnyValue }
interface JsonAnyValue {
  stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] }; kvlistValue?: { values?: JsonKeyValue[] }; bytesValue?: string;
}

function jsonAnyValue(v: JsonAnyValue | undefined): AttributeValue {
  if (v === undefined) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(jsonAnyValue);
  if (v.kvlistValue !== undefined) return jsonKeyValues(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return Buffer.from(v.bytesValue, 'base64').toString('hex');
  return null;
}

function jsonKeyValues(list: JsonKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = jsonAnyValue(kv.value);
  return out;
}

/** OTLP/JSON ids are hex; some producers send base64. */
function jsonId(id: string | undefined): string {
  if (!id) return '';
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

type JsonRecord = Record<string, unknown>;

function jsonWalk<T>(body: JsonRecord, top: string, scoped: string, items: string, decodeItem: (item: JsonRecord, resource: Attributes, scope: Scope) => T): T[] {
  const out: T[] = [];
  for (const r of (body[top] as JsonRecord[] | undefined) ?? []) {
    const resource = jsonKeyValues((r.resource as { attributes?: JsonKeyValue[] } | undefined)?.attributes);
    for (const s of (r[scoped] as JsonRecord[] | undefined) ?? []) {
      const sc = (s.scope as { name?: string; version?: string } | undefined) ?? {};
      const scope = { name: sc.name ?? '', version: sc.version ?? '' };
      for (const item of (s[items] as JsonRecord[] | undefined) ?? []) out.push(decodeItem(item, resource, scope));
    }
  }
  return out;
}

// ---- entry points ----

export function decodeSpans(body: Buffer, json: boolean): ReceivedSpan[] {
  if (!json) return pbWalk(body, pbSpan);
  return jsonWalk(JSON.parse(body.toString('utf8')) as JsonRecord, 'resourceSpans', 'scopeSpans', 'spans', (s, resource, scope) => ({
    traceId: jsonId(s.traceId as string),
    spanId: jsonId(s.spanId as string),
    parentSpanId: jsonId(s.parentSpanId as string | undefined),
    name: String(s.name ?? ''),
    kind: Number(s.kind ?? 0),
    startTimeUnixNano: BigInt(String(s.startTimeUnixNano ?? 0)),
    endTimeUnixNano: BigInt(String(s.endTimeUnixNano ?? 0)),
    attributes: jsonKeyValues(s.attributes as JsonKeyValue[] | undefined),
    events: ((s.events as JsonRecord[] | undefined) ?? []).map((e) => ({ name: String(e.name ?? ''), attributes: jsonKeyValues(e.attributes as JsonKeyValue[] | undefined) })),
    status: { code: Number((s.status as JsonRecord | undefined)?.code ?? 0), message: String((s.status as JsonRecord | undefined)?.message ?? '') },
    resource,
    scope,
  }));
}

export function decodeLogRecords(body: Buffer, json: boolean): ReceivedLogRecord[] {
  if (!json) return pbWalk(body, pbLogRecord);
  return jsonWalk(JSON.parse(body.toString('utf8')) as JsonRecord, 'resourceLogs', 'scopeLogs', 'logRecords', (l, resource, scope) => ({
    timeUnixNano: BigInt(String(l.timeUnixNano ?? 0)),
    severityNumber: Number(l.severityNumber ?? 0),
    severityText: String(l.severityText ?? ''),
    body: jsonAnyValue(l.body as JsonAnyValue | undefined),
    attributes: jsonKeyValues(l.attributes as JsonKeyValue[] | undefined),
    traceId: jsonId(l.traceId as string | undefined),
    spanId: jsonId(l.spanId as string | undefined),
    resource,
    scope,
  }));
}

export function decodeMetrics(body: Buffer, json: boolean): ReceivedMetric[] {
  if (!json) return pbWalk(body, pbMetric);
  return jsonWalk(JSON.parse(body.toString('utf8')) as JsonRecord, 'resourceMetrics', 'scopeMetrics', 'metrics', (m, resource, scope) => ({
    name: String(m.name ?? ''),
    unit: String(m.unit ?? ''),
    resource,
    scope,
    sumPoints: (((m.sum as JsonRecord | undefined)?.dataPoints as JsonRecord[] | undefined) ?? []).map((p) => ({
      attributes: jsonKeyValues(p.attributes as JsonKeyValue[] | undefined),
      value: Number(p.asInt ?? p.asDouble ?? 0),
    })),
  }));
}
