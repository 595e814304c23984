/**
 * OTLP export for each signal, over HTTP with protobuf or JSON bodies: the SDK's
 * serializers (spans and log records in protobuf: encoded one by one, see
 * encoding-processors.ts), and a retry buffer per signal that delivers the
 * requests (see buffered-exporter.ts for why the SDK's OTLP exporter classes
 * are not used).
 */
import type { SpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { OtlpTarget } from './config';
import type { Report } from './diagnostics';
import type { TelemetrySignal } from './telemetry-registry';
import { BufferedOtlpExporter, rejectedItems, type OtlpSerializer } from './buffered-exporter';
import { RetryBuffer } from './export-buffer';
import type { BatchSink } from './encoding-processors';
import { countDropped } from './self-telemetry';
import type { TlsMaterial } from './otlp-post';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
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

/**
 * The PEM files named by OTEL_EXPORTER_OTLP_*CERTIFICATE / *CLIENT_KEY, read once.
 * A file that cannot be read is reported and left out: the export then fails
 * and is retried (and reported) like any unreachable collector.
 */
function tlsMaterial(target: OtlpTarget, report: Report): TlsMaterial | undefined {
  const read = (path: string | undefined, what: string): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      report(`cannot read the OTLP ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); exporting without it`);
      return undefined;
    }
  };
  const ca = read(target.tls.certificate, 'CA certificate');
  const cert = read(target.tls.clientCertificate, 'client certificate');
  const key = read(target.tls.clientKey, 'client key');
  if (ca === undefined && (cert === undefined || key === undefined)) return undefined;
  return { ...(ca === undefined ? {} : { ca }), ...(cert === undefined || key === undefined ? {} : { cert, key }) };
}

/** What is sent: the body, gzipped first when configured (the retry buffer's byte bound then holds more). */
function compression(target: OtlpTarget): (body: Uint8Array) => Uint8Array {
  return target.compression === 'gzip' ? (body) => gzipSync(body) : (body) => body;
}

/** The retry buffer of a signal; `readResponse` decodes the collector's answer, for partial successes. */
function buffer(signal: TelemetrySignal, target: OtlpTarget, settings: ExportSettings, readResponse: (data: Uint8Array) => unknown): RetryBuffer {
  const contentType = target.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
  const tls = tlsMaterial(target, settings.reportFailure);
  return new RetryBuffer({
    signal,
    url: target.url,
    ...(tls === undefined ? {} : { tls }),
    headers: {
      ...target.headers,
      'Content-Type': contentType,
      'User-Agent': `o4o-otel/${DISTRIBUTION_VERSION}`,
      ...(target.compression === 'gzip' ? { 'Content-Encoding': 'gzip' } : {}),
    },
    timeoutMillis: target.timeoutMillis,
    maxBytes: settings.bufferBytes,
    countDropped,
    reportFailure: settings.reportFailure,
    rejectedInResponse: (response) => (response.byteLength === 0 ? 0 : rejectedItems(readResponse(response))),
  });
}

function exporter<T>(signal: TelemetrySignal, target: OtlpTarget, settings: ExportSettings, serializer: OtlpSerializer<T>, count: (batch: T) => number): BufferedOtlpExporter<T> {
  const compress = compression(target);
  const serialize: OtlpSerializer<T> = {
    serializeRequest: (batch) => {
      const body = serializer.serializeRequest(batch);
      return body === undefined ? undefined : compress(body);
    },
    deserializeResponse: (data) => serializer.deserializeResponse(data),
  };
  return new BufferedOtlpExporter(buffer(signal, target, settings, (data) => serializer.deserializeResponse(data)), serialize, count);
}

export type BufferedSpanExporter = BufferedOtlpExporter<ReadableSpan[]> & SpanExporter;
export type BufferedLogExporter = BufferedOtlpExporter<ReadableLogRecord[]> & LogRecordExporter;
export type BufferedMetricExporter = BufferedOtlpExporter<ResourceMetrics> & PushMetricExporter;

/** Spans over OTLP/JSON: the SDK's batch processor and serializer. */
export function createSpanExporter(target: OtlpTarget, settings: ExportSettings): BufferedSpanExporter {
  return exporter('traces', target, settings, transformer().JsonTraceSerializer, (spans) => spans.length);
}

/**
 * Spans and log records over OTLP/protobuf: where the encoding processors send
 * their batches (compressed first when configured, like metrics), and the retry
 * buffer that delivers them.
 */
export function createBatchSink(signal: 'traces' | 'logs', target: OtlpTarget, settings: ExportSettings): BatchSink & { readonly buffer: RetryBuffer } {
  const t = transformer();
  const responses = signal === 'traces' ? t.ProtobufTraceSerializer : t.ProtobufLogsSerializer;
  const retry = buffer(signal, target, settings, (data) => responses.deserializeResponse(data));
  const compress = compression(target);
  return {
    buffer: retry,
    send: (body, items) => retry.enqueue(compress(body), items),
    whenDelivered: () => retry.whenIdle(),
  };
}

/** Log records over OTLP/JSON: the SDK's batch processor and serializer. */
export function createLogExporter(target: OtlpTarget, settings: ExportSettings): BufferedLogExporter {
  return exporter('logs', target, settings, transformer().JsonLogsSerializer, (records) => records.length);
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
