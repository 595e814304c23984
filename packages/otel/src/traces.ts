/** The tracer provider: sampler, span limits, batching and export. */
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { Resource } from '@opentelemetry/resources';
import type { O4oConfig, SamplerName } from './config';
import { DatabaseErrorStatusScrubber } from './db/error-status';
import { createBatchSink, createSpanExporter } from './exporters';
import { EncodingSpanProcessor } from './encoding-processors';
import { BufferedOtlpExporter } from './buffered-exporter';
import { BoundedBatchSpanProcessor } from './bounded-processors';
import type { PipelineParts } from './pipeline';
import { SpanPrivacyProcessor } from './span-privacy';
import { MonotonicSpanClock } from './span-clock';

export function createSampler(name: SamplerName, ratio: number): Sampler {
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

export function createTracerProvider(config: O4oConfig, resource: Resource, pipeline: PipelineParts): TracerProvider {
  const { traces } = config;
  const spanProcessors: SpanProcessor[] = traces.exporters.map((name) => {
    if (name === 'otlp' && traces.otlp.protocol === 'http/protobuf') {
      const sink = createBatchSink('traces', traces.otlp, pipeline.export);
      pipeline.crash.addBuffer(sink.buffer);
      const processor = new EncodingSpanProcessor({ sink, settings: traces.batch, reportFailure: pipeline.export.reportFailure });
      pipeline.crash.addQueue(processor);
      return processor;
    }
    const exporter = name === 'console' ? new ConsoleSpanExporter() : createSpanExporter(traces.otlp, pipeline.export);
    if (exporter instanceof BufferedOtlpExporter) pipeline.crash.addBuffer(exporter.buffer);
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
  // Before anything reads a start time.
  spanProcessors.unshift(new MonotonicSpanClock());
  return new TracerProvider({
    resource,
    sampler: createSampler(traces.sampler, traces.samplerRatio),
    spanProcessors,
    spanLimits: {
      attributeCountLimit: traces.attributeCountLimit,
      ...(traces.attributeValueLengthLimit === undefined ? {} : { attributeValueLengthLimit: traces.attributeValueLengthLimit }),
    },
  });
}
