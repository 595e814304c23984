/**
 * The SDK's batch span processor bounded and counted as bounded-processors.ts
 * describes, for the exporters that take the SDK's spans (console, OTLP/JSON).
 * Its own file so that the lean tracer's path never loads the SDK's tracer.
 */
import { TraceFlags } from '@opentelemetry/api';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { BatchSettings } from './config';
import { estimateSpanBytes } from './item-size';
import { countDropped as defaultCountDropped, type DropCounter } from './self-telemetry';
import { admit, inBatches, releasing, takeAll, type QueueDrain, type Tally } from './bounded-processors';

export class BoundedBatchSpanProcessor extends BatchSpanProcessor implements QueueDrain {
  private readonly tally: Tally;
  private readonly exporterView: SpanExporter;
  private stopped = false;

  constructor(
    exporter: SpanExporter,
    private readonly settings: BatchSettings,
    private readonly countDropped: DropCounter = defaultCountDropped,
    tally: Tally = { items: 0, bytes: 0 },
  ) {
    const view = releasing<ReadableSpan, SpanExporter>(exporter, tally, estimateSpanBytes);
    super({ ...settings, exporter: view });
    this.tally = tally;
    this.exporterView = view;
  }

  override onEnd(span: ReadableSpan): void {
    // The same early returns as the SDK's onEnd: unsampled spans are not queued, so never dropped.
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (admit(this.tally, estimateSpanBytes(span), this.settings, 'traces', this.countDropped)) super.onEnd(span);
  }

  /** The SDK's forceFlush hands batches to the exporter; this also waits for their delivery. */
  override async forceFlush(): Promise<void> {
    await super.forceFlush();
    await this.exporterView.forceFlush?.();
  }

  override shutdown(): Promise<void> {
    this.stopped = true;
    return super.shutdown();
  }

  exportQueuedNow(): void {
    inBatches(takeAll<ReadableSpan>(this, '_finishedSpans'), this.settings.maxExportBatchSize, (batch) => this.exporterView.export(batch, () => undefined));
  }
}
