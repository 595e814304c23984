/**
 * The span processor of OTLP/protobuf export: each span is encoded as it ends
 * and the batch is held as bytes, instead of the SDK's batch processor keeping
 * span objects until the batch is serialized in one burst. A span object then
 * dies young (the SDK's queue kept up to 2,048 of them alive for up to five
 * seconds, long enough to be promoted and collected by full GCs), and encoding
 * is spread over requests instead of landing on one of them.
 *
 * Same settings and guarantees as BoundedBatchSpanProcessor: a batch goes to
 * the retry buffer when it reaches OTEL_BSP_MAX_EXPORT_BATCH_SIZE spans or
 * OTEL_BSP_SCHEDULE_DELAY after its first span; spans past OTEL_BSP_MAX_QUEUE_SIZE
 * or O4O_OTEL_BSP_MAX_QUEUE_BYTES (exact encoded bytes here) are counted as
 * `queue_full` drops; the crash flush takes the batch synchronously.
 */
import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { BatchSettings } from './config';
import type { QueueDrain } from './bounded-processors';
import { OtlpSpanBatch } from './otlp-trace-encoder';
import { countDropped as defaultCountDropped, type DropCounter } from './self-telemetry';
import type { Report } from './diagnostics';

/** Where finished batches go: the retry buffer, behind optional compression. */
export interface BatchSink {
  /** Takes one encoded request of `items` spans; delivery is the sink's. */
  send(body: Uint8Array, items: number): void;
  /** Resolves once what was sent has been delivered or dropped. */
  whenDelivered(): Promise<void>;
}

export class EncodingSpanProcessor implements SpanProcessor, QueueDrain {
  private readonly batch = new OtlpSpanBatch();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly sink: BatchSink,
    private readonly settings: BatchSettings,
    private readonly reportFailure: Report,
    private readonly countDropped: DropCounter = defaultCountDropped,
  ) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    const batch = this.batch;
    if (batch.count >= this.settings.maxQueueSize || batch.bytes >= this.settings.maxQueueBytes) {
      this.countDropped('traces', 'queue_full', 1);
      return;
    }
    try {
      batch.add(span);
    } catch (error) {
      // Not reachable with the SDK's spans (attribute values are checked as they are set); counted, never thrown into the app.
      this.countDropped('traces', 'queue_full', 1);
      this.reportFailure(`a span could not be encoded and was dropped: ${(error as Error).message}`);
      return;
    }
    if (batch.count >= this.settings.maxExportBatchSize) this.sendBatch();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.sendBatch(), this.settings.scheduledDelayMillis);
      this.timer.unref();
    }
  }

  /** Sends the batch now and waits for what was sent to be delivered. */
  async forceFlush(): Promise<void> {
    this.sendBatch();
    await this.sink.whenDelivered();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.sendBatch();
    this.stopped = true;
    await this.sink.whenDelivered();
  }

  exportQueuedNow(): void {
    this.sendBatch();
  }

  private sendBatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.batch.count;
    if (items === 0) return;
    this.sink.send(this.batch.take(), items);
  }
}
