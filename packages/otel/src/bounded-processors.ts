/**
 * The SDK's batch processors, with two additions (the span processor is in
 * bounded-span-processor.ts, loaded only where the SDK's tracer runs): the queue is bounded by the
 * estimated bytes of what it holds as well as by count, and every item turned
 * away is counted as a `queue_full` drop (the SDK drops silently: one debug line).
 *
 * The count and bytes queued are kept here: an item enters in onEnd/onEmit and
 * leaves when the processor hands its batch to the exporter, which goes through
 * `release`. The SDK's own count check then never triggers (ours is the same
 * limit, checked first), so every drop passes through this file.
 *
 * `exportQueuedNow` serves the crash flush: it hands everything queued to the
 * exporter synchronously. The log processor's flush is asynchronous (it awaits
 * before calling export), so the queue itself is read: `_finishedSpans` and
 * `_finishedLogRecords` are private to the SDK (pinned at 3.1.0); if a later
 * version renames them the crash flush still sends the retry buffer's content,
 * and test/crash-flush.test.ts fails.
 */
import type { Context } from '@opentelemetry/api';
import { BatchLogRecordProcessor, type LogRecordExporter, type ReadableLogRecord, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { BatchSettings } from './config';
import type { TelemetrySignal } from './telemetry-registry';
import { estimateLogRecordBytes } from './item-size';
import { countDropped as defaultCountDropped, type DropCounter } from './self-telemetry';

/** What is queued in one processor right now. */
export interface Tally {
  items: number;
  bytes: number;
}

interface Exporter<T> {
  export(items: T[], done: (result: { code: number }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** The processor's view of `target`: every batch handed over leaves the tally. */
export function releasing<T, E extends Exporter<T>>(target: E, tally: Tally, size: (item: T) => number): E {
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
export function admit(tally: Tally, bytes: number, settings: BatchSettings, signal: TelemetrySignal, countDropped: DropCounter): boolean {
  if (tally.items >= settings.maxQueueSize || tally.bytes + bytes > settings.maxQueueBytes) {
    countDropped(signal, 'queue_full', 1);
    return false;
  }
  tally.items += 1;
  tally.bytes += bytes;
  return true;
}

/** Takes everything from an SDK queue field, in order; empty when the field is not there. */
export function takeAll<T>(processor: object, field: string): T[] {
  const queue = (processor as Record<string, unknown>)[field];
  return Array.isArray(queue) ? (queue.splice(0) as T[]) : [];
}

export function inBatches<T>(items: T[], size: number, each: (batch: T[]) => void): void {
  for (let i = 0; i < items.length; i += size) each(items.slice(i, i + size));
}

export interface QueueDrain {
  /** Hands everything queued to the exporter now, synchronously. */
  exportQueuedNow(): void;
}

export class BoundedBatchLogRecordProcessor extends BatchLogRecordProcessor implements QueueDrain {
  private readonly tally: Tally;
  private readonly exporterView: LogRecordExporter;
  private stopped = false;

  constructor(
    exporter: LogRecordExporter,
    private readonly settings: BatchSettings,
    private readonly countDropped: DropCounter = defaultCountDropped,
    tally: Tally = { items: 0, bytes: 0 },
  ) {
    const view = releasing<ReadableLogRecord, LogRecordExporter>(exporter, tally, estimateLogRecordBytes);
    super({ ...settings, exporter: view });
    this.tally = tally;
    this.exporterView = view;
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

  exportQueuedNow(): void {
    inBatches(takeAll<ReadableLogRecord>(this, '_finishedLogRecords'), this.settings.maxExportBatchSize, (batch) => this.exporterView.export(batch, () => undefined));
  }
}
