'use strict';
/**
 * Cost of one `http.server.request.duration` record with the five attributes a
 * request carries (method, scheme, status, protocol, route), one frozen object
 * as the HTTP server instrumentation passes it: the SDK's histogram (with the
 * view @o4o/otel sets, a reader attached) against @o4o/otel's hot histogram,
 * without and with a sampled span for its exemplar. Alternating rounds, the
 * median of each. Prints one JSON line.
 *
 *   node bench/micro/hot-histogram.js
 */
const { performance } = require('node:perf_hooks');
const { createRequire } = require('node:module');
const { setting } = require('../defaults');

// The SDK as @o4o/otel resolves it, so both histograms run on the same packages.
const otel = createRequire(require.resolve('@o4o/otel/package.json'));
const { MeterProvider, MetricReader, AggregationType } = otel('@opentelemetry/sdk-metrics');
const { resourceFromAttributes } = otel('@opentelemetry/resources');
const { HTTP_DURATION_BUCKETS } = otel('./dist/metrics.js');
const { HotMetrics } = otel('./dist/hot-metrics/registry.js');
const { HotMeterProvider, createDurationHistogram } = otel('./dist/hot-metrics/meter-provider.js');

const NAME = 'http.server.request.duration';
const SCOPE = '@o4o/otel/http-server';
const LIMIT = 2000;
const resource = resourceFromAttributes({ 'service.name': 'bench' });
const views = [{ instrumentName: NAME, aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...HTTP_DURATION_BUCKETS] } }, aggregationCardinalityLimit: LIMIT }];

class Reader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}

const attributes = Object.freeze({
  'http.request.method': 'GET',
  'url.scheme': 'http',
  'http.response.status_code': 200,
  'network.protocol.version': '1.1',
  'http.route': '/products/:id',
});
const sampledSpan = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 };

const sdkHistogram = new MeterProvider({ resource, readers: [new Reader({ cardinalitySelector: () => LIMIT })], views })
  .getMeter(SCOPE, '0.1.0')
  .createHistogram(NAME, { unit: 's' });
const hot = new HotMetrics({ histograms: { [NAME]: HTTP_DURATION_BUCKETS }, cardinalityLimit: LIMIT, resource });
const hotProvider = new HotMeterProvider({ resource, readers: [new Reader({ metricProducers: [hot.createProducer()] })], views }, hot);
const hotHistogram = createDurationHistogram(hotProvider.getMeter(SCOPE, '0.1.0'), NAME, { description: '', unit: 's' });

// Durations spread over the buckets, precomputed so the loop measures the record alone.
const values = Float64Array.from({ length: 4096 }, (_, i) => ((i * 7919) % 4096) / 4096 / 2);

function nsPerRecord(record, millis) {
  let records = 0;
  const start = performance.now();
  while (performance.now() - start < millis) {
    for (let i = 0; i < values.length; i++) record(values[i]);
    records += values.length;
  }
  return ((performance.now() - start) * 1e6) / records;
}

const variants = {
  sdk: (v) => sdkHistogram.record(v, attributes),
  o4o: (v) => hotHistogram.record(v, attributes),
  o4oSampled: (v) => hotHistogram.record(v, attributes, sampledSpan),
};
const seconds = setting('BENCH_MICRO_SECONDS');
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < 6; round++) {
  for (const [key, record] of Object.entries(variants)) samples[key].push(nsPerRecord(record, (seconds * 1000) / 18));
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
process.stderr.write(
  `${JSON.stringify({ results: Object.entries(samples).map(([histogram, xs]) => ({ histogram, nsPerRecord: median(xs) })), attributes: Object.keys(attributes).length })}\n`,
);
