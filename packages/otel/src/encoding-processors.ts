/**
 * The processors of OTLP/protobuf export: each span is encoded as it ends, each
 * log record as it is emitted, and the batch is held as bytes, instead of the
 * SDK's batch processors keeping the objects until the batch is serialized in
 * one burst. An object then dies young (the SDK's queues kept up to 2,048 spans
 * or 8,192 records alive for seconds, long enough to be promoted and collected
 * by full GCs), and encoding is spread over requests instead of landing on one.
 *
 * Same settings and guarantees as bounded-processors.ts: a batch goes to the
 * retry buffer when it reaches OTEL_BSP/BLRP_MAX_EXPORT_BATCH_SIZE items or
 * OTEL_BSP/BLRP_SCHEDULE_DELAY after its first item; items past the queue's
 * count or bytes (exact encoded bytes here) are counted as `queue_full` drops;
 * the crash flush takes the batch synchronously.
 */
import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { BatchSettings } from './config';
import type { QueueDrain } from './bounded-processors';
import type { OtlpBatch, BatchItem } from './otlp-batch';
import { createSpanBatch } from './otlp-trace-encoder';
import { createLogBatch } from './otlp-log-encoder';
import { countDropped as defaultCountDropped, type DropCounter } from './self-telemetry';
import type { TelemetrySignal } from './telemetry-registry';
import type { Report } from './diagnostics';

/** Where finished batches go: the retry buffer, behind optional compression. */
export interface BatchSink {
  /** Takes one encoded request of `items` items; delivery is the sink's. */
  send(body: Uint8Array, items: number): void;
  /** Resolves once what was sent has been delivered or dropped. */
  whenDelivered(): Promise<void>;
}

export interface EncodingOptions {
  readonly sink: BatchSink;
  readonly settings: BatchSettings;
  readonly reportFailure: Report;
  readonly countDropped?: DropCounter;
}

/** The batching both processors share. */
abstract class EncodingProcessor<T extends BatchItem> implements QueueDrain {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly sink: BatchSink;
  private readonly settings: BatchSettings;
  private readonly countDropped: DropCounter;

  constructor(
    private readonly signal: TelemetrySignal,
    private readonly batch: OtlpBatch<T>,
    private readonly options: EncodingOptions,
  ) {
    this.sink = options.sink;
    this.settings = options.settings;
    this.countDropped = options.countDropped ?? defaultCountDropped;
  }

  protected add(item: T): void {
    if (this.stopped) return;
    const batch = this.batch;
    if (batch.count >= this.settings.maxQueueSize || batch.bytes >= this.settings.maxQueueBytes) {
      this.countDropped(this.signal, 'queue_full', 1);
      return;
    }
    try {
      batch.add(item);
    } catch (error) {
      // Not reachable with the SDK's objects (values are checked as they are set); counted, never thrown into the app.
      this.countDropped(this.signal, 'queue_full', 1);
      this.options.reportFailure(`${this.signal === 'traces' ? 'a span' : 'a log record'} could not be encoded and was dropped: ${(error as Error).message}`);
      return;
    }
    if (batch.count >= this.settings.maxExportBatchSize) this.exportQueuedNow();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.exportQueuedNow(), this.settings.scheduledDelayMillis);
      this.timer.unref();
    }
  }

  /** Sends the batch now and waits for what was sent to be delivered. */
  async forceFlush(): Promise<void> {
    this.exportQueuedNow();
    await this.sink.whenDelivered();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.exportQueuedNow();
    this.stopped = true;
    await this.sink.whenDelivered();
  }

  exportQueuedNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.batch.count;
    if (items === 0) return;
    this.sink.send(this.batch.take(), items);
  }
}

export class EncodingSpanProcessor extends EncodingProcessor<ReadableSpan> implements SpanProcessor {
  constructor(options: EncodingOptions) {
    super('traces', createSpanBatch(), options);
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) this.add(span);
  }
}

export class EncodingLogRecordProcessor extends EncodingProcessor<ReadableLogRecord> implements LogRecordProcessor {
  constructor(options: EncodingOptions) {
    super('logs', createLogBatch(), options);
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    this.add(logRecord as unknown as ReadableLogRecord);
  }
}
