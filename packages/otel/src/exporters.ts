/**
 * OTLP export for each signal, over HTTP with protobuf or JSON bodies: the SDK's
 * serializers, and a retry buffer per signal that delivers the requests (see
 * buffered-exporter.ts for why the SDK's OTLP exporter classes are not used).
 */
import type { SpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { OtlpTarget } from './config';
import type { Report } from './diagnostics';
import type { TelemetrySignal } from './business/registry';
import { BufferedOtlpExporter, rejectedItems, type OtlpSerializer } from './buffered-exporter';
import { RetryBuffer } from './export-buffer';
import { countDropped } from './self-telemetry';
import { DISTRIBUTION_VERSION } from './version';

export interface ExportSettings {
  /** O4O_OTEL_EXPORT_BUFFER_BYTES. */
  readonly bufferBytes: number;
  /** Where export failures are reported, throttled. */
  readonly reportFailure: Report;
}

type Transformer = typeof import('@opentelemetry/otlp-transformer');

function transformer(): Transformer {
  return require('@opentelemetry/otlp-transformer') as Transformer;
}

function buffer<T>(signal: TelemetrySignal, target: OtlpTarget, settings: ExportSettings, serializer: OtlpSerializer<T>): RetryBuffer {
  const contentType = target.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
  return new RetryBuffer({
    signal,
    url: target.url,
    headers: { ...target.headers, 'Content-Type': contentType, 'User-Agent': `o4o-otel/${DISTRIBUTION_VERSION}` },
    timeoutMillis: target.timeoutMillis,
    maxBytes: settings.bufferBytes,
    countDropped,
    reportFailure: settings.reportFailure,
    rejectedInResponse: (response) => (response.byteLength === 0 ? 0 : rejectedItems(serializer.deserializeResponse(response))),
  });
}

function exporter<T>(signal: TelemetrySignal, target: OtlpTarget, settings: ExportSettings, serializer: OtlpSerializer<T>, count: (batch: T) => number): BufferedOtlpExporter<T> {
  return new BufferedOtlpExporter(buffer(signal, target, settings, serializer), serializer, count);
}

export type BufferedSpanExporter = BufferedOtlpExporter<ReadableSpan[]> & SpanExporter;
export type BufferedLogExporter = BufferedOtlpExporter<ReadableLogRecord[]> & LogRecordExporter;
export type BufferedMetricExporter = BufferedOtlpExporter<ResourceMetrics> & PushMetricExporter;

export function createSpanExporter(target: OtlpTarget, settings: ExportSettings): BufferedSpanExporter {
  const t = transformer();
  const serializer = target.protocol === 'http/json' ? t.JsonTraceSerializer : t.ProtobufTraceSerializer;
  return exporter('traces', target, settings, serializer, (spans) => spans.length);
}

export function createLogExporter(target: OtlpTarget, settings: ExportSettings): BufferedLogExporter {
  const t = transformer();
  const serializer = target.protocol === 'http/json' ? t.JsonLogsSerializer : t.ProtobufLogsSerializer;
  return exporter('logs', target, settings, serializer, (records) => records.length);
}

/** Data points in a collection, the unit metric drops are counted in. */
export function countDataPoints(collection: ResourceMetrics): number {
  let points = 0;
  for (const scope of collection.scopeMetrics) for (const metric of scope.metrics) points += metric.dataPoints.length;
  return points;
}

export function createMetricExporter(target: OtlpTarget, settings: ExportSettings): BufferedMetricExporter {
  const t = transformer();
  const serializer = target.protocol === 'http/json' ? t.JsonMetricsSerializer : t.ProtobufMetricsSerializer;
  // Without selectAggregationTemporality the reader uses cumulative temporality, as OTLPMetricExporter does by default.
  return exporter('metrics', target, settings, serializer, countDataPoints);
}
