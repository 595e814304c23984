/**
 * An exporter for the SDK's processors and metric reader that serializes each
 * batch at once (with the SDK's own OTLP serializers) and hands the bytes to a
 * RetryBuffer, which owns delivery.
 *
 * The processor is told "success" as soon as the batch is serialized. That is
 * deliberate: the processors time an export out after OTEL_BSP_EXPORT_TIMEOUT and
 * report a failure even when the request later arrives, and during an outage
 * they would hold the next batches back. Acknowledging at once leaves exactly
 * one owner of each batch: the buffer delivers it once, in order, or counts it
 * as dropped. There is no second retry layer underneath (the SDK exporters'
 * RetryingTransport is not used), so a batch is never sent twice by two loops.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { RetryBuffer } from './export-buffer';

export interface OtlpSerializer<T> {
  serializeRequest(batch: T): Uint8Array | undefined;
  deserializeResponse(data: Uint8Array): unknown;
}

/** Items a collector refused in a partial success (`rejected_spans`, `rejected_log_records`, `rejected_data_points`). */
export function rejectedItems(response: unknown): number {
  const partial = (response as { partialSuccess?: Record<string, unknown> } | undefined)?.partialSuccess;
  if (partial === undefined || partial === null) return 0;
  let rejected = 0;
  for (const [key, value] of Object.entries(partial)) {
    if (key.startsWith('rejected')) rejected += Number(value) || 0;
  }
  return rejected;
}

export class BufferedOtlpExporter<T> {
  constructor(
    readonly buffer: RetryBuffer,
    private readonly serializer: OtlpSerializer<T>,
    private readonly countItems: (batch: T) => number,
  ) {}

  export(batch: T, done: (result: ExportResult) => void): void {
    let body: Uint8Array | undefined;
    try {
      body = this.serializer.serializeRequest(batch);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    if (body !== undefined && body.byteLength > 0) this.buffer.enqueue(body, this.countItems(batch));
    done({ code: ExportResultCode.SUCCESS });
  }

  /** Resolves once the buffer is empty; the caller's deadline bounds the wait. */
  forceFlush(): Promise<void> {
    return this.buffer.whenIdle();
  }

  shutdown(): Promise<void> {
    return this.buffer.whenIdle();
  }
}
