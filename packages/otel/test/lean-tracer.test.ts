/**
 * The lean tracer (src/tracer/) and the SDK's tracer make the same spans: random
 * sequences of API calls (start with attributes and links, frozen or not, set
 * attributes of every type, events, links, status, name, exceptions, ending
 * twice, calls after the end) under random span limits are applied to both, and
 * the spans they end are compared field by field. Ids differ, so parentage is
 * compared by position. The samplers decide as the SDK's do, and the encoder
 * writes the same bytes for a lean span as for the SDK span with the same
 * content.
 */
import fc from 'fast-check';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type AttributeValue, type Link, type Span, type SpanContext, type TimeInput } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { LeanTracerProvider } from '../src/tracer/provider';
import { createSampleDecision } from '../src/tracer/sampler';
import { IdPool } from '../src/tracer/ids';
import { createSpanBatch } from '../src/otlp-trace-encoder';
import type { SamplerName } from '../src/config';

const resource = resourceFromAttributes({ 'service.name': 'lean-tracer-test' });

interface Limits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

function collector(): { processor: SpanProcessor; ended: ReadableSpan[] } {
  const ended: ReadableSpan[] = [];
  const processor: SpanProcessor = { onStart: () => {}, onEnd: (span) => ended.push(span), forceFlush: async () => {}, shutdown: async () => {} };
  return { processor, ended };
}

function bothProviders(limits: Limits): { lean: { provider: LeanTracerProvider; ended: ReadableSpan[] }; sdk: { provider: TracerProvider; ended: ReadableSpan[] } } {
  const lean = collector();
  const sdk = collector();
  return {
    lean: { provider: new LeanTracerProvider({ resource, sampler: 'always_on', samplerRatio: 1, limits, spanProcessors: [lean.processor] }), ended: lean.ended },
    sdk: { provider: new TracerProvider({ resource, sampler: new AlwaysOnSampler(), spanLimits: limits, spanProcessors: [sdk.processor] }), ended: sdk.ended },
  };
}

const circular: Record<string, unknown> = { a: 1 };
circular['self'] = circular;

const key = fc.oneof(fc.constantFrom('a', 'b', 'c', '', 'http.route', 'db.query.text'), fc.string({ maxLength: 4 }));
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('x'.repeat(3000), '\ud800', '\u0000\u001b[31m', ''));
const value: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(undefined, null, Number.NaN, circular, () => 1, new Date(0), /x/),
  fc.bigInt(),
  fc.uint8Array({ maxLength: 30 }),
  fc.array(fc.oneof(text, fc.integer(), fc.constant(null), fc.constant(undefined)), { maxLength: 5 }),
  fc.array(fc.oneof(text, fc.boolean()), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 })), { maxKeys: 3 }),
);
const attributes = fc.tuple(fc.dictionary(key, value, { maxKeys: 8 }), fc.boolean()).map(([a, freeze]) => (freeze ? Object.freeze(a) : a) as Attributes);
const primitiveAttributes = fc
  .tuple(fc.dictionary(key, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 8 }), fc.boolean())
  .map(([a, freeze]) => (freeze ? Object.freeze(a) : a) as Attributes);
const time: fc.Arbitrary<TimeInput | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.tuple(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), fc.integer({ min: 0, max: 999_999_999 })).map(([s, n]) => [s, n] as [number, number]),
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }).map((ms) => new Date(ms)),
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
);
const spanKind = fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER);
const linkContext: fc.Arbitrary<SpanContext> = fc.record({
  traceId: fc.constantFrom('0af7651916cd43dd8448eb211c80319c', '4bf92f3577b34da6a3ce929d0e0e4736'),
  spanId: fc.constantFrom('b7ad6b7169203331', '00f067aa0ba902b7'),
  traceFlags: fc.constantFrom(TraceFlags.NONE, TraceFlags.SAMPLED),
});
const link: fc.Arbitrary<Link> = fc.record({ context: linkContext, attributes: fc.option(attributes, { nil: undefined }) }, { requiredKeys: ['context'] });

type Command =
  | { op: 'start'; name: string; kind: SpanKind; attributes?: Attributes; links?: Link[]; parent: number; root: boolean; startTime?: TimeInput }
  | { op: 'setAttribute'; span: number; key: string; value: unknown }
  | { op: 'setAttributes'; span: number; attributes: Attributes }
  | { op: 'addEvent'; span: number; name: string; attributes?: Attributes | TimeInput; time?: TimeInput }
  | { op: 'addLink'; span: number; link: Link }
  | { op: 'addLinks'; span: number; links: Link[] }
  | { op: 'setStatus'; span: number; code: SpanStatusCode; message?: unknown }
  | { op: 'updateName'; span: number; name: string }
  | { op: 'recordException'; span: number; exception: unknown; time?: TimeInput }
  | { op: 'end'; span: number; time?: TimeInput };

const index = fc.nat(3);
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record(
    {
      op: fc.constant('start' as const),
      name: text,
      kind: spanKind,
      attributes: fc.option(fc.oneof(attributes, primitiveAttributes), { nil: undefined }),
      links: fc.option(fc.array(link, { maxLength: 4 }), { nil: undefined }),
      parent: fc.integer({ min: -1, max: 3 }),
      root: fc.boolean(),
      startTime: time,
    },
    { requiredKeys: ['op', 'name', 'kind', 'parent', 'root'] },
  ), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('setAttribute' as const), span: index, key, value }), weight: 3 },
  fc.record({ op: fc.constant('setAttributes' as const), span: index, attributes }),
  { arbitrary: fc.record({ op: fc.constant('addEvent' as const), span: index, name: text, attributes: fc.option(fc.oneof(attributes, time), { nil: undefined }), time }, { requiredKeys: ['op', 'span', 'name'] }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('addLink' as const), span: index, link }), weight: 2 },
  fc.record({ op: fc.constant('addLinks' as const), span: index, links: fc.array(link, { maxLength: 3 }) }),
  fc.record(
    { op: fc.constant('setStatus' as const), span: index, code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR), message: fc.option(fc.oneof(text, fc.integer()), { nil: undefined }) },
    { requiredKeys: ['op', 'span', 'code'] },
  ),
  fc.record({ op: fc.constant('updateName' as const), span: index, name: text }),
  fc.record(
    {
      op: fc.constant('recordException' as const),
      span: index,
      exception: fc.oneof(
        text,
        fc.constant(new TypeError('bad input')),
        fc.record({ code: fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), message: fc.option(text, { nil: undefined }) }),
        fc.constant({}),
        fc.constant(Object.create(null) as object),
      ),
      time,
    },
    { requiredKeys: ['op', 'span', 'exception'] },
  ),
  fc.record({ op: fc.constant('end' as const), span: index, time }),
);

const limits: fc.Arbitrary<Limits> = fc.record({
  attributeCountLimit: fc.integer({ min: 1, max: 6 }),
  attributeValueLengthLimit: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 40 })),
  eventCountLimit: fc.integer({ min: 0, max: 3 }),
  linkCountLimit: fc.integer({ min: 0, max: 3 }),
  attributePerEventCountLimit: fc.integer({ min: 0, max: 3 }),
  attributePerLinkCountLimit: fc.integer({ min: 0, max: 3 }),
});

/** Spans started by `play`; for each whether the end that took effect was given a time; what threw. */
type Played = Span[] & { endTimeGiven: boolean[]; threw: string[] };

/** Runs the commands against one provider; returns the spans it started, in order. */
function play(provider: { getTracer(name: string, version?: string): { startSpan(name: string, options?: object, context?: typeof ROOT_CONTEXT): Span } }, commands: readonly Command[]): Played {
  const tracer = provider.getTracer('conformance', '1.0.0');
  const spans = Object.assign([] as Span[], { endTimeGiven: [] as boolean[], threw: [] as string[] });
  for (const c of commands) {
    if (c.op === 'start') {
      const parent = c.parent >= 0 && c.parent < spans.length ? trace.setSpan(ROOT_CONTEXT, spans[c.parent]!) : ROOT_CONTEXT;
      // Each start gets its own copy: one tracer must not see what the other did to the object.
      const copy = <T>(value: T): T => (value === undefined ? value : (Object.isFrozen(value) ? Object.freeze({ ...value }) : { ...value }) as T);
      spans.push(
        tracer.startSpan(
          c.name,
          { kind: c.kind, attributes: copy(c.attributes), links: c.links?.map((l) => ({ ...l, attributes: copy(l.attributes) })), root: c.root, startTime: c.startTime },
          parent,
        ),
      );
      continue;
    }
    const span = spans[c.span];
    if (span === undefined) continue;
    if (c.op === 'end') spans.endTimeGiven[c.span] ??= c.time !== undefined;
    try {
      apply(span, c);
    } catch (error) {
      // The SDK throws where the app's value cannot become text (an object without a prototype as an exception).
      spans.threw.push(`${c.op}: ${(error as Error).message}`);
    }
  }
  return spans;
}

function apply(span: Span, c: Exclude<Command, { op: 'start' }>): void {
  {
    switch (c.op) {
      case 'setAttribute':
        span.setAttribute(c.key, c.value as AttributeValue);
        break;
      case 'setAttributes':
        span.setAttributes({ ...c.attributes });
        break;
      case 'addEvent':
        span.addEvent(c.name, c.attributes, c.time);
        break;
      case 'addLink':
        span.addLink(c.link);
        break;
      case 'addLinks':
        span.addLinks(c.links);
        break;
      case 'setStatus':
        span.setStatus({ code: c.code, message: c.message as string | undefined });
        break;
      case 'updateName':
        span.updateName(c.name);
        break;
      case 'recordException':
        span.recordException(c.exception as Error, c.time);
        break;
      case 'end':
        span.end(c.time);
        break;
    }
  }
}

/** What must be equal between the two tracers' spans, times aside. */
function comparable(span: ReadableSpan, started: readonly Span[]): unknown {
  const position = (id: string | undefined): number => started.findIndex((s) => s.spanContext().spanId === id);
  return {
    name: span.name,
    kind: span.kind,
    parent: span.parentSpanContext === undefined ? 'root' : position(span.parentSpanContext.spanId),
    sampled: span.spanContext().traceFlags,
    attributes: { ...span.attributes },
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes, droppedAttributesCount: e.droppedAttributesCount ?? 0 })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((l) => ({ context: l.context, attributes: l.attributes, droppedAttributesCount: l.droppedAttributesCount ?? 0 })),
    droppedLinksCount: span.droppedLinksCount,
    status: span.status,
    scope: span.instrumentationScope,
    resource: span.resource.attributes,
  };
}

describe('the lean tracer', () => {
  test('random sequences of API calls end the same spans as under the SDK tracer', () => {
    fc.assert(
      fc.property(limits, fc.array(command, { minLength: 1, maxLength: 40 }), (spanLimits, commands) => {
        const { lean, sdk } = bothProviders(spanLimits);
        const leanSpans = play(lean.provider, commands);
        const sdkSpans = play(sdk.provider, commands);
        for (const span of leanSpans) span.end();
        for (const span of sdkSpans) span.end();
        // The lean tracer never throws into the app; the SDK may (and then records nothing, as the lean tracer does).
        expect(leanSpans.threw).toEqual([]);
        expect(lean.ended.map((s) => comparable(s, leanSpans))).toEqual(sdk.ended.map((s) => comparable(s, sdkSpans)));
        // Times that the commands gave are kept as given; the others are read off two clocks.
        const starts = commands.filter((c) => c.op === 'start');
        const givenStart = (span: ReadableSpan, started: readonly Span[]): unknown => {
          const at = started.findIndex((s) => s.spanContext().spanId === span.spanContext().spanId);
          return starts[at]?.startTime === undefined ? 'not given' : span.startTime;
        };
        // A given end before the start is moved to the start, which may be the clock's.
        const givenEnd = (played: Played): unknown[] =>
          played.map((s, i) => {
            const { startTime, endTime } = s as unknown as ReadableSpan;
            if (played.endTimeGiven[i] !== true) return 'not given';
            return endTime[0] === startTime[0] && endTime[1] === startTime[1] ? 'at its start' : endTime;
          });
        expect(lean.ended.map((s) => givenStart(s, leanSpans))).toEqual(sdk.ended.map((s) => givenStart(s, sdkSpans)));
        expect(givenEnd(leanSpans)).toEqual(givenEnd(sdkSpans));
      }),
      { numRuns: 1000 },
    );
  });

  test('past the event and link limits, the newest are kept, as under the SDK tracer', () => {
    const { lean, sdk } = bothProviders({ attributeCountLimit: 2, attributeValueLengthLimit: 3, eventCountLimit: 2, linkCountLimit: 2, attributePerEventCountLimit: 1, attributePerLinkCountLimit: 1 });
    const context = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
    for (const provider of [lean.provider, sdk.provider]) {
      const span = provider.getTracer('t').startSpan('limited', { links: [1, 2, 3].map((n) => ({ context, attributes: { n, m: n } })) });
      for (const name of ['e1', 'e2', 'e3']) span.addEvent(name, { a: 'long value', b: 1 });
      span.addLink({ context, attributes: { n: 4 } });
      span.setAttributes({ a: 'abcdef', b: 2, c: 3 });
      span.end();
    }
    const view = (span: ReadableSpan): unknown => comparable(span, []);
    expect(lean.ended.map(view)).toEqual(sdk.ended.map(view));
    expect(lean.ended[0]!.events.map((e) => e.name)).toEqual(['e2', 'e3']);
    expect(lean.ended[0]!.links.map((l) => l.attributes?.['n'])).toEqual([3, 4]);
    expect(lean.ended[0]!.attributes).toEqual({ a: 'abc', b: 2 });
  });

  test('an exception that cannot become text is recorded by its tag, where the SDK throws into the caller', () => {
    const { lean, sdk } = bothProviders({ attributeCountLimit: 128, attributeValueLengthLimit: Infinity, eventCountLimit: 128, linkCountLimit: 128, attributePerEventCountLimit: 128, attributePerLinkCountLimit: 128 });
    const hostile = Object.assign(Object.create(null) as object, { code: Object.create(null) as object, message: 'bad' });
    const sdkSpan = sdk.provider.getTracer('t').startSpan('x');
    expect(() => sdkSpan.recordException(hostile as unknown as Error)).toThrow(TypeError);
    const span = lean.provider.getTracer('t').startSpan('x');
    expect(() => span.recordException(hostile as unknown as Error)).not.toThrow();
    expect(() => span.recordException(Object.create(null) as Error)).not.toThrow();
    span.end();
    expect(lean.ended[0]!.events.map((e) => e.attributes)).toEqual([{ 'exception.type': '[object Object]', 'exception.message': 'bad' }]);
  });

  test('a span shares its frozen start attributes until the first change, and the change does not reach the shared object', () => {
    const { lean } = bothProviders({ attributeCountLimit: 128, attributeValueLengthLimit: Infinity, eventCountLimit: 128, linkCountLimit: 128, attributePerEventCountLimit: 128, attributePerLinkCountLimit: 128 });
    const shared = Object.freeze({ 'db.system.name': 'sqlite', 'db.operation.name': 'SELECT' });
    const tracer = lean.provider.getTracer('t');
    const first = tracer.startSpan('a', { attributes: shared }) as unknown as ReadableSpan & Span;
    expect(first.attributes).toBe(shared);
    first.setAttribute('error.type', 'SQLITE_BUSY');
    expect(first.attributes).toEqual({ ...shared, 'error.type': 'SQLITE_BUSY' });
    expect(shared).toEqual({ 'db.system.name': 'sqlite', 'db.operation.name': 'SELECT' });
  });

  test('an unsampled span records nothing and carries its trace on; a suppressed context gets the invalid span', () => {
    const ended: ReadableSpan[] = [];
    const provider = new LeanTracerProvider({
      resource,
      sampler: 'parentbased_always_off',
      samplerRatio: 1,
      limits: {},
      spanProcessors: [{ onStart: () => {}, onEnd: (s) => ended.push(s), forceFlush: async () => {}, shutdown: async () => {} }],
    });
    const tracer = provider.getTracer('t');
    const root = tracer.startSpan('root', {}, ROOT_CONTEXT);
    expect(root.isRecording()).toBe(false);
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(child.spanContext().spanId).not.toBe(root.spanContext().spanId);
    child.end();
    root.end();
    expect(ended).toEqual([]);
    const suppressed = ROOT_CONTEXT.setValue(Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING'), true);
    expect(trace.isSpanContextValid(tracer.startSpan('x', {}, suppressed).spanContext())).toBe(false);
  });

  test('a processor that throws reaches neither the caller nor the processors after it', () => {
    const ended: string[] = [];
    const provider = new LeanTracerProvider({
      resource,
      sampler: 'always_on',
      samplerRatio: 1,
      limits: {},
      spanProcessors: [
        {
          onStart: () => {
            throw new Error('start');
          },
          onEnd: () => {
            throw new Error('end');
          },
          forceFlush: async () => {},
          shutdown: async () => {},
        },
        { onStart: () => {}, onEnd: (s) => ended.push(s.name), forceFlush: async () => {}, shutdown: async () => {} },
      ],
    });
    expect(() => provider.getTracer('t').startSpan('survives').end()).not.toThrow();
    expect(ended).toEqual(['survives']);
  });
});

describe('the lean samplers', () => {
  const hex = (length: number): fc.Arbitrary<string> => fc.uint8Array({ minLength: length / 2, maxLength: length / 2 }).map((b) => Buffer.from(b).toString('hex'));
  const parent = fc.option(fc.record({ traceId: hex(32), spanId: hex(16), traceFlags: fc.constantFrom(TraceFlags.NONE, TraceFlags.SAMPLED), isRemote: fc.boolean() }), { nil: undefined });
  const names: SamplerName[] = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

  function sdkSampler(name: SamplerName, ratio: number): ParentBasedSampler | AlwaysOnSampler | AlwaysOffSampler | TraceIdRatioBasedSampler {
    const root = name.endsWith('always_on') ? new AlwaysOnSampler() : name.endsWith('always_off') ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(ratio);
    return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
  }

  test('decide as the SDK samplers of the same OTEL_TRACES_SAMPLER do', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.1, 1)), parent, hex(32), (name, ratio, parentContext, traceId) => {
        const ctx = parentContext === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, parentContext);
        const expected = sdkSampler(name, ratio).shouldSample(ctx, parentContext?.traceId ?? traceId, 'span', SpanKind.INTERNAL, {}, []).decision === 2;
        expect(createSampleDecision(name, ratio)(parentContext, parentContext?.traceId ?? traceId)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('pooled ids', () => {
  test('are lower-case hex of the right length, valid, and do not repeat', () => {
    const ids = new IdPool();
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const traceId = ids.traceId();
      const spanId = ids.spanId();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(trace.isSpanContextValid({ traceId, spanId, traceFlags: 1 })).toBe(true);
      seen.add(traceId).add(spanId);
    }
    expect(seen.size).toBe(10_000);
  });
});

describe('encoding a lean span', () => {
  test('writes the bytes of the SDK span with the same content, frozen attribute sets included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(primitiveAttributes, fc.boolean()), { minLength: 1, maxLength: 6 }), (plans) => {
        const { lean, sdk } = bothProviders({ attributeCountLimit: 128, attributeValueLengthLimit: Infinity, eventCountLimit: 128, linkCountLimit: 128, attributePerEventCountLimit: 128, attributePerLinkCountLimit: 128 });
        for (const [attrs, error] of plans) {
          for (const provider of [lean.provider, sdk.provider]) {
            const span = provider.getTracer('@o4o/otel/typeorm', '0.1.0').startSpan('SELECT', { kind: SpanKind.CLIENT, attributes: attrs, startTime: [1_700_000_000, 5] }, ROOT_CONTEXT);
            if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'db error' });
            span.end([1_700_000_001, 7]);
          }
        }
        // Same ids, so that the bytes can be compared: the SDK span takes the lean span's context.
        const sdkSpans = sdk.ended.map((span, i) => Object.assign(Object.create(span) as ReadableSpan, { spanContext: () => lean.ended[i]!.spanContext() }));
        const ours = Buffer.from(createSpanBatch().encode(lean.ended));
        const theirs = Buffer.from(createSpanBatch().encode(sdkSpans));
        expect(ours.equals(theirs)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
