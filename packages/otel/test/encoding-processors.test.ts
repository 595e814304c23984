/**
 * The encoding processors batch like the SDK's: a full batch or the schedule
 * delay sends it, unsampled spans are not kept, items past the queue's count or
 * bytes are counted as dropped, and a flush, a shutdown or the crash flush sends
 * what is held. What they send decodes to the spans that ended and the records
 * that were emitted.
 */
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { decodeLogRecords, decodeSpans } from '@o4o/test-utils';
import type { BatchSettings } from '../src/config';
import { EncodingLogRecordProcessor, EncodingSpanProcessor, type BatchSink } from '../src/encoding-processors';
import type { DropReason, TelemetrySignal } from '../src/telemetry-registry';

const SETTINGS: BatchSettings = { scheduledDelayMillis: 60_000, exportTimeoutMillis: 30_000, maxQueueSize: 2_048, maxExportBatchSize: 4, maxQueueBytes: 1024 * 1024 };

function setUp(settings: Partial<BatchSettings> = {}) {
  const sent: { body: Uint8Array; items: number }[] = [];
  const drops: [TelemetrySignal, DropReason, number][] = [];
  const sink: BatchSink = { send: (body, items) => void sent.push({ body, items }), whenDelivered: () => Promise.resolve() };
  const processor = new EncodingSpanProcessor({ sink, settings: { ...SETTINGS, ...settings }, reportFailure: () => undefined, countDropped: (...drop) => void drops.push(drop) });
  const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer('test', '1.0.0');
  const end = (name: string, attributes = {}): void => tracer.startSpan(name, { attributes }).end();
  const names = (): string[] => sent.flatMap(({ body }) => decodeSpans(Buffer.from(body), false).map((s) => s.name));
  return { processor, tracer, sent, drops, end, names };
}

describe('EncodingSpanProcessor and EncodingLogRecordProcessor', () => {
  test('a full batch is sent as one request of that many spans, in the order they ended', () => {
    const t = setUp();
    for (const name of ['a', 'b', 'c']) t.end(name);
    expect(t.sent).toHaveLength(0);
    t.end('d');
    expect(t.sent.map((s) => s.items)).toEqual([4]);
    expect(t.names()).toEqual(['a', 'b', 'c', 'd']);
  });

  test('the schedule delay sends a batch that is not full', async () => {
    const t = setUp({ scheduledDelayMillis: 20 });
    t.end('alone');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(t.names()).toEqual(['alone']);
  });

  test('an unsampled span is not encoded', () => {
    const t = setUp();
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE, isRemote: true });
    t.tracer.startSpan('child of unsampled', {}, unsampled).end();
    t.processor.exportQueuedNow();
    expect(t.sent).toHaveLength(0);
  });

  test('spans past the queue bytes are counted as queue_full and the rest still sent', () => {
    const t = setUp({ maxQueueBytes: 1_000, maxExportBatchSize: 100 });
    for (let i = 0; i < 10; i++) t.end(`span ${i}`, { text: 'x'.repeat(300) });
    t.processor.exportQueuedNow();
    const kept = t.names().length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(10);
    expect(t.drops).toEqual(Array.from({ length: 10 - kept }, () => ['traces', 'queue_full', 1]));
  });

  test('spans past the queue size are counted as queue_full', () => {
    const t = setUp({ maxQueueSize: 3, maxExportBatchSize: 100 });
    for (let i = 0; i < 5; i++) t.end(`span ${i}`);
    t.processor.exportQueuedNow();
    expect(t.names()).toEqual(['span 0', 'span 1', 'span 2']);
    expect(t.drops).toEqual([['traces', 'queue_full', 1], ['traces', 'queue_full', 1]]);
  });

  test('forceFlush sends what is held; after shutdown nothing more is taken', async () => {
    const t = setUp();
    t.end('before flush');
    await t.processor.forceFlush();
    expect(t.names()).toEqual(['before flush']);
    t.end('before shutdown');
    await t.processor.shutdown();
    t.end('after shutdown');
    t.processor.exportQueuedNow();
    expect(t.names()).toEqual(['before flush', 'before shutdown']);
  });

  test('log records: a batch goes out in order with their trace context; past the bytes they are counted as logs queue_full', () => {
    const sent: { body: Uint8Array; items: number }[] = [];
    const drops: [TelemetrySignal, DropReason, number][] = [];
    const sink: BatchSink = { send: (body, items) => void sent.push({ body, items }), whenDelivered: () => Promise.resolve() };
    const processor = new EncodingLogRecordProcessor({
      sink,
      settings: { ...SETTINGS, maxExportBatchSize: 100, maxQueueBytes: 400 },
      reportFailure: () => undefined,
      countDropped: (...drop) => void drops.push(drop),
    });
    const logger = new LoggerProvider({ processors: [processor] }).getLogger('test');
    const traced = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    for (const body of ['one', 'two', 'three']) logger.emit({ body, severityNumber: 9, severityText: 'INFO', attributes: { n: body.length }, context: traced });
    processor.exportQueuedNow();
    expect(sent.map((s) => s.items)).toEqual([3]);
    const records = decodeLogRecords(Buffer.from(sent[0]!.body), false);
    expect(records.map((r) => [r.body, r.severityText, r.attributes.n, r.traceId, r.spanId])).toEqual([
      ['one', 'INFO', 3, 'c'.repeat(32), 'd'.repeat(16)],
      ['two', 'INFO', 3, 'c'.repeat(32), 'd'.repeat(16)],
      ['three', 'INFO', 5, 'c'.repeat(32), 'd'.repeat(16)],
    ]);
    for (let i = 0; i < 10; i++) logger.emit({ body: 'x'.repeat(100) });
    processor.exportQueuedNow();
    const kept = decodeLogRecords(Buffer.from(sent[1]!.body), false).length;
    expect(kept).toBeGreaterThan(0);
    expect(drops).toEqual(Array.from({ length: 10 - kept }, () => ['logs', 'queue_full', 1]));
  });
});
