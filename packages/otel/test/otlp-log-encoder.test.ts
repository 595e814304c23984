/**
 * The log record encoder writes exactly the bytes of the SDK's
 * ProtobufLogsSerializer, for records the SDK itself made: random bodies
 * (strings with non-ASCII and lone surrogates, 64-bit and non-finite numbers,
 * nested maps and arrays, byte arrays), attributes, severities, event names,
 * with and without trace context, several scopes and resources in one batch,
 * batch after batch with one encoder.
 */
import fc from 'fast-check';
import { ROOT_CONTEXT, trace, TraceFlags, type AnyValue, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { createLogBatch } from '../src/otlp-log-encoder';

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 120, maxLength: 300 }),
  fc.constantFrom('', '\ud800', 'é'.repeat(70), 'order confirmed', '\u0000\u001b[31m'),
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 53, -(2 ** 63), 2 ** 63, 1e300, -0));
const leaf: fc.Arbitrary<AnyValue> = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 8 }));
const { body } = fc.letrec<{ body: AnyValue }>((tie) => ({
  body: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('body'), { maxLength: 4 }),
    fc.dictionary(text, tie('body'), { maxKeys: 4 }),
  ),
}));
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(text, fc.oneof(text, number, fc.boolean(), fc.array(text, { maxLength: 3 })), { maxKeys: 6 });

interface RecordPlan {
  body: AnyValue | undefined;
  severityNumber: number | undefined;
  severityText: string | undefined;
  eventName: string | undefined;
  attributes: Attributes;
  traced: boolean;
  sampled: boolean;
  scope: number;
}

const recordPlan: fc.Arbitrary<RecordPlan> = fc.record({
  body: fc.option(body, { nil: undefined }),
  severityNumber: fc.option(fc.integer({ min: 0, max: 24 }), { nil: undefined }),
  severityText: fc.option(fc.constantFrom('INFO', 'warn', ''), { nil: undefined }),
  eventName: fc.option(fc.constantFrom('order.placed', ''), { nil: undefined }),
  attributes,
  traced: fc.boolean(),
  sampled: fc.boolean(),
  scope: fc.nat(1),
});

function providerWith(resourceAttributes: Attributes): { provider: LoggerProvider; emitted: ReadableLogRecord[] } {
  const emitted: ReadableLogRecord[] = [];
  const collect: LogRecordProcessor = {
    onEmit: (record) => void emitted.push(record as unknown as ReadableLogRecord),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new LoggerProvider({ resource: resourceFromAttributes(resourceAttributes), processors: [collect], logRecordLimits: { attributeCountLimit: 5 } });
  return { provider, emitted };
}

function makeRecords(plans: RecordPlan[], twoResources: boolean): ReadableLogRecord[] {
  const first = providerWith({ 'service.name': 'shop-api', 'host.name': 'vm' });
  const second = providerWith({ 'service.name': 'other', 'process.pid': 42 });
  plans.forEach((plan, index) => {
    const { provider } = twoResources && index % 2 === 1 ? second : first;
    const logger = plan.scope === 0 ? provider.getLogger('@o4o/otel/winston', '0.1.0') : provider.getLogger('scope with schema', '1', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
    const context = plan.traced
      ? trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: plan.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE })
      : ROOT_CONTEXT;
    logger.emit({
      ...(plan.body === undefined ? {} : { body: plan.body }),
      ...(plan.severityNumber === undefined ? {} : { severityNumber: plan.severityNumber }),
      ...(plan.severityText === undefined ? {} : { severityText: plan.severityText }),
      ...(plan.eventName === undefined ? {} : { eventName: plan.eventName }),
      attributes: plan.attributes,
      timestamp: [1_764_000_000 + index, 999_999_999 - index],
      observedTimestamp: [1_764_000_001 + index, index],
      context,
    });
  });
  const records = [...first.emitted, ...second.emitted];
  expect(records).toHaveLength(plans.length);
  return records;
}

describe('createLogBatch', () => {
  test('writes the SDK serializer’s bytes for random records, batch after batch with one encoder', () => {
    const encoder = createLogBatch();
    fc.assert(
      fc.property(fc.array(recordPlan, { minLength: 1, maxLength: 10 }), fc.boolean(), (plans, twoResources) => {
        const records = makeRecords(plans, twoResources);
        expect(Buffer.from(encoder.encode(records))).toEqual(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!));
      }),
      { numRuns: 300 },
    );
  });
});
