/**
 * The one-pass trace encoder writes exactly the bytes of the SDK's
 * ProtobufTraceSerializer, for spans the SDK itself made: random attribute
 * values of every type (megabyte and non-ASCII strings, lone surrogates,
 * 64-bit and negative integers, non-finite doubles, arrays with holes),
 * events, links, trace state, remote parents, error statuses, several scopes
 * and resources in one batch; and it keeps doing so across batches that grow
 * and shrink its reused buffer.
 */
import fc from 'fast-check';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { createSpanBatch } from '../src/otlp-trace-encoder';

const MB = 1_000_000;

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 120, maxLength: 400 }),
  fc.constantFrom('', 'SELECT "Order"."id" FROM "orders" "Order" WHERE "Order"."id" = ?', '\ud800', 'a\udfffb', 'é', '\u0000\u001b[31m', 'x'.repeat(127), 'x'.repeat(128), 'é'.repeat(64)),
);
const integer = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(0, -1, 127, 128, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 2 ** 53, -(2 ** 53), 2 ** 62, -(2 ** 63), 2 ** 63, 1e300),
);
const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(text, integer, fc.double(), fc.boolean());
const array: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.array(fc.option(text, { nil: null }), { maxLength: 6 }),
  fc.array(fc.option(fc.oneof(integer, fc.double()), { nil: undefined }), { maxLength: 6 }),
  fc.array(fc.boolean(), { maxLength: 6 }),
) as fc.Arbitrary<AttributeValue>;
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(text, fc.oneof(scalar, array), { maxKeys: 8 });

interface SpanPlan {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  events: { name: string; attributes?: Attributes }[];
  linkCount: number;
  status: { code: SpanStatusCode; message?: string } | undefined;
  scope: number;
  remoteParent: boolean;
  traceState: string | undefined;
}

const spanPlan: fc.Arbitrary<SpanPlan> = fc.record({
  name: text,
  kind: fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER),
  attributes,
  events: fc.array(fc.record({ name: text, attributes: fc.option(attributes, { nil: undefined }) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
  linkCount: fc.nat(2),
  status: fc.option(
    fc.record({ code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR), message: fc.option(text, { nil: undefined }) }, { requiredKeys: ['code'] }),
    { nil: undefined },
  ),
  scope: fc.nat(2),
  remoteParent: fc.boolean(),
  traceState: fc.option(fc.constantFrom('vendor=abc', 'a=1,b=2'), { nil: undefined }),
});

function providerWith(resourceAttributes: Attributes): { provider: TracerProvider; ended: ReadableSpan[] } {
  const ended: ReadableSpan[] = [];
  const collect: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void ended.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [collect],
    spanLimits: { attributeCountLimit: 6, eventCountLimit: 2 },
  });
  return { provider, ended };
}

const SCOPES: [string, string | undefined, string | undefined][] = [
  ['@o4o/otel/typeorm', '0.1.0', undefined],
  ['@opentelemetry/instrumentation-undici', undefined, undefined],
  ['scope with schema', '1', 'https://opentelemetry.io/schemas/1.30.0'],
];

/** The spans the SDK makes for `plans`, under one or two resources. */
function makeSpans(plans: SpanPlan[], twoResources: boolean): ReadableSpan[] {
  const first = providerWith({ 'service.name': 'shop-api', 'service.version': '1.2.3', 'host.name': 'vm' });
  const second = providerWith({ 'service.name': 'other', 'process.pid': 42, 'é': ['a', 'b'] });
  plans.forEach((plan, index) => {
    const { provider } = twoResources && index % 2 === 1 ? second : first;
    const [scopeName, version, schemaUrl] = SCOPES[plan.scope]!;
    const tracer = provider.getTracer(scopeName, version, schemaUrl === undefined ? undefined : { schemaUrl });
    const parentContext = plan.remoteParent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
          ...(plan.traceState === undefined ? {} : { traceState: new TraceState(plan.traceState) }),
        })
      : ROOT_CONTEXT;
    const links = Array.from({ length: plan.linkCount }, (_, i) => ({
      context: { traceId: `${i}f`.padEnd(32, 'a'), spanId: `${i}e`.padEnd(16, 'b'), traceFlags: i, isRemote: i === 1 },
      ...(i === 0 ? { attributes: { 'link.index': i } } : {}),
    }));
    const span = tracer.startSpan(plan.name, { kind: plan.kind, attributes: plan.attributes, links, startTime: [1_764_000_000 + index, 999_999_999 - index] }, parentContext);
    for (const event of plan.events) span.addEvent(event.name, event.attributes, [1_764_000_001 + index, index]);
    if (plan.status) span.setStatus(plan.status);
    span.end([1_764_000_002 + index, 5]);
  });
  const spans = [...first.ended, ...second.ended];
  expect(spans).toHaveLength(plans.length);
  return spans;
}

function sdkBytes(spans: ReadableSpan[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
}

describe('createSpanBatch', () => {
  test('writes the SDK serializer’s bytes for random spans, batch after batch with one encoder', () => {
    const encoder = createSpanBatch();
    fc.assert(
      fc.property(fc.array(spanPlan, { minLength: 1, maxLength: 12 }), fc.boolean(), (plans, twoResources) => {
        const spans = makeSpans(plans, twoResources);
        expect(Buffer.from(encoder.encode(spans))).toEqual(sdkBytes(spans));
      }),
      { numRuns: 300 },
    );
  });

  test('megabyte values, a batch past the kept buffer, then a small batch again', () => {
    const encoder = createSpanBatch();
    const huge = (fill: string): SpanPlan => ({
      name: 'big',
      kind: SpanKind.CLIENT,
      attributes: { 'db.query.text': fill.repeat(MB / fill.length), 'list': [fill.repeat(70_000), null, 'x'] },
      events: [{ name: 'exception', attributes: { 'exception.message': fill.repeat(200_000) } }],
      linkCount: 0,
      status: { code: SpanStatusCode.ERROR, message: fill.repeat(300) },
      scope: 0,
      remoteParent: false,
      traceState: undefined,
    });
    for (const spans of [makeSpans([huge('a'), huge('é'), huge('\ud83d\ude00')], false), makeSpans([huge('\udc00x')], true), makeSpans([{ ...huge('z'), attributes: { n: 1 }, events: [] }], false)]) {
      const ours = Buffer.from(encoder.encode(spans));
      expect(ours.equals(sdkBytes(spans))).toBe(true);
    }
  });

  test('what it returns is a copy: the next request does not overwrite it', () => {
    const encoder = createSpanBatch();
    const a = makeSpans([{ name: 'first', kind: SpanKind.SERVER, attributes: { k: 'v' }, events: [], linkCount: 0, status: undefined, scope: 0, remoteParent: false, traceState: undefined }], false);
    const b = makeSpans([{ name: 'second', kind: SpanKind.CLIENT, attributes: { k: 'w' }, events: [], linkCount: 1, status: undefined, scope: 1, remoteParent: true, traceState: undefined }], false);
    const firstBody = encoder.encode(a);
    const copy = Buffer.from(firstBody);
    encoder.encode(b);
    expect(Buffer.from(firstBody).equals(copy)).toBe(true);
    expect(copy.equals(sdkBytes(a))).toBe(true);
  });
});
