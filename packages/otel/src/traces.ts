/**
 * The tracer provider: sampler, span limits, batching and export. The lean
 * tracer (tracer/) is the default; the SDK's is used with O4O_OTEL_TRACER=sdk
 * and wherever the SDK's batch processors and serializers export (console,
 * OTLP/JSON), which only the SDK's spans are tested with.
 */
import type { TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import type { Sampler, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Resource } from '@opentelemetry/resources';
import { effectiveTracer, type O4oConfig, type SamplerName } from './config';
import { DatabaseErrorStatusScrubber } from './db/error-status';
import { createBatchSink, createSpanExporter } from './exporters';
import { EncodingSpanProcessor } from './encoding-processors';
import { BufferedOtlpExporter } from './buffered-exporter';
import type { PipelineParts } from './pipeline';
import { SpanPrivacyProcessor } from './span-privacy';
import { MonotonicSpanClock } from './span-clock';
import { LeanTracerProvider } from './tracer/provider';

type SdkTrace = typeof import('@opentelemetry/sdk-trace');
/** The SDK tracer's parts, read where that tracer is chosen. */
const sdkTrace = (): SdkTrace => require('@opentelemetry/sdk-trace') as SdkTrace;

/** The provider every signal's flush and shutdown goes through, whichever tracer is used. */
export interface TracerProviderHandle extends ApiTracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function createSampler(name: SamplerName, ratio: number): Sampler {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = sdkTrace();
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

export function createTracerProvider(config: O4oConfig, resource: Resource, pipeline: PipelineParts): TracerProviderHandle {
  const { traces } = config;
  const tracer = effectiveTracer(config);
  const spanProcessors: SpanProcessor[] = traces.exporters.map((name) => {
    if (name === 'otlp' && traces.otlp.protocol === 'http/protobuf') {
      const sink = createBatchSink('traces', traces.otlp, pipeline.export);
      pipeline.crash.addBuffer(sink.buffer);
      const processor = new EncodingSpanProcessor({ sink, settings: traces.batch, reportFailure: pipeline.export.reportFailure });
      pipeline.crash.addQueue(processor);
      return processor;
    }
    const exporter = name === 'console' ? new (sdkTrace().ConsoleSpanExporter)() : createSpanExporter(traces.otlp, pipeline.export);
    if (exporter instanceof BufferedOtlpExporter) pipeline.crash.addBuffer(exporter.buffer);
    const { BoundedBatchSpanProcessor } = require('./bounded-span-processor') as typeof import('./bounded-span-processor');
    const processor = new BoundedBatchSpanProcessor(exporter, traces.batch);
    pipeline.crash.addQueue(processor);
    return processor;
  });
  // First, so that the exporters see the scrubbed status.
  if (!config.database.captureParameters) spanProcessors.unshift(new DatabaseErrorStatusScrubber());
  const { keys, maskEmails } = config.logs.redaction;
  spanProcessors.unshift(new SpanPrivacyProcessor({ keys: [...keys, ...traces.redactQueryParameters], maskEmails }));
  // Requests in progress, for a crash to end them rather than lose them.
  if (spanProcessors.length > 1) spanProcessors.unshift(pipeline.crash.openServerSpans);
  const spanLimits = {
    attributeCountLimit: traces.attributeCountLimit,
    eventCountLimit: traces.eventCountLimit,
    linkCountLimit: traces.linkCountLimit,
    attributePerEventCountLimit: traces.attributePerEventCountLimit,
    attributePerLinkCountLimit: traces.attributePerLinkCountLimit,
    ...(traces.attributeValueLengthLimit === undefined ? {} : { attributeValueLengthLimit: traces.attributeValueLengthLimit }),
  };
  if (tracer === 'lean') {
    // Lean spans take their times from the monotonic clock themselves.
    return new LeanTracerProvider({ resource, sampler: traces.sampler, samplerRatio: traces.samplerRatio, limits: spanLimits, spanProcessors });
  }
  // Before anything reads a start time.
  spanProcessors.unshift(new MonotonicSpanClock());
  const provider: TracerProvider = new (sdkTrace().TracerProvider)({
    resource,
    sampler: createSampler(traces.sampler, traces.samplerRatio),
    spanProcessors,
    spanLimits,
  });
  return provider;
}
