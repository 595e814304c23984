/**
 * OTLP exporters for each signal, over HTTP with protobuf or JSON bodies. Only
 * the package for the chosen protocol is loaded.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { OtlpTarget } from './config';

function options(target: OtlpTarget): { url: string; headers: Record<string, string>; timeoutMillis: number } {
  return { url: target.url, headers: { ...target.headers }, timeoutMillis: target.timeoutMillis };
}

export function createSpanExporter(target: OtlpTarget): SpanExporter {
  if (target.protocol === 'http/json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options(target));
  }
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options(target));
}

export function createMetricExporter(target: OtlpTarget): PushMetricExporter {
  if (target.protocol === 'http/json') {
    const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
    return new OTLPMetricExporter(options(target));
  }
  const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto');
  return new OTLPMetricExporter(options(target));
}

export function createLogExporter(target: OtlpTarget): LogRecordExporter {
  if (target.protocol === 'http/json') {
    const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http') as typeof import('@opentelemetry/exporter-logs-otlp-http');
    return new OTLPLogExporter(options(target));
  }
  const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto') as typeof import('@opentelemetry/exporter-logs-otlp-proto');
  return new OTLPLogExporter(options(target));
}
