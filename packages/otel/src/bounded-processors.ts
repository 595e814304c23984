/**
 * The SDK's batch processors, with two additions: the queue is bounded by the
 * estimated bytes of what it holds as well as by count, and every item turned
 * away is counted as a `queue_full` drop (the SDK drops silently: one debug line).
 *
 * The count and bytes queued are kept here: an item enters in onEnd/onEmit and
 * leaves when the processor hands its batch to the exporter, which goes through
 * `release`. The SDK's own count check then never triggers (ours is the same
 * limit, checked first), so every drop passes through this file.
 */
import { TraceFlags, type Context } from '@opentelemetry/api';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { BatchLogRecordProcessor, type LogRecordExporter, type ReadableLogRecord, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { BatchSettings } from './config';
import type { TelemetrySignal } from './business/registry';
import { estimateLogRecordBytes, estimateSpanBytes } from './item-size';
import { countDropped as defaultCountDropped, type DropCounter } from './self-telemetry';

/** What is queued in one processor right now. */
interface Tally {
  items: number;
  bytes: number;
}

interface Exporter<T> {
  export(items: T[], done: (result: { code: number }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** The processor's view of `target`: every batch handed over leaves the tally. */
function releasing<T, E extends Exporter<T>>(target: E, tally: Tally, size: (item: T) => number): E {
  return {
    export: (items: T[], done: (result: { code: number }) => void) => {
      tally.items -= items.length;
      for (const item of items) tally.bytes -= size(item);
      target.export(items, done);
    },
    shutdown: () => target.shutdown(),
    forceFlush: () => target.forceFlush?.() ?? Promise.resolve(),
  } as unknown as E;
}

/** Admits an item of `bytes` into the tally, or counts it as dropped. */
function admit(tally: Tally, bytes: number, settings: BatchSettings, signal: TelemetrySignal, countDropped: DropCounter): boolean {
  if (tally.items >= settings.maxQueueSize || tally.bytes + bytes > settings.maxQueueBytes) {
    countDropped(signal, 'queue_full', 1);
    return false;
  }
  tally.items += 1;
  tally.bytes += bytes;
  return true;
}

export class BoundedBatchSpanProcessor extends BatchSpanProcessor {
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
}

export class BoundedBatchLogRecordProcessor extends BatchLogRecordProcessor {
  private readonly tally: Tally;
  private stopped = false;

  constructor(
    exporter: LogRecordExporter,
    private readonly settings: BatchSettings,
    private readonly countDropped: DropCounter = defaultCountDropped,
    tally: Tally = { items: 0, bytes: 0 },
  ) {
    super({ ...settings, exporter: releasing<ReadableLogRecord, LogRecordExporter>(exporter, tally, estimateLogRecordBytes) });
    this.tally = tally;
  }

  override onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    if (this.stopped) return;
    if (admit(this.tally, estimateLogRecordBytes(logRecord), this.settings, 'logs', this.countDropped)) {
      (super.onEmit as (record: ReadWriteLogRecord, context?: Context) => void)(logRecord, context);
    }
  }

  override shutdown(): Promise<void> {
    this.stopped = true;
    return super.shutdown();
  }
}
