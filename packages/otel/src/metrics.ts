/**
 * The meter provider: a Prometheus endpoint for scrapes, optional OTLP push,
 * histogram buckets chosen for the latency alerts, and a cardinality limit on
 * every instrument. The two histograms recorded on every request
 * (`http.server.request.duration`, `db.client.operation.duration` from TypeORM)
 * are aggregated in process (hot-metrics/) and reach each reader through its
 * metric producer, with the same names, buckets and limit as the SDK's.
 */
import {
  AggregationTemporality,
  AggregationType,
  ConsoleMetricExporter,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type IMetricReader,
  type PushMetricExporter,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import type { O4oConfig } from './config';
import { createMetricExporter } from './exporters';
import type { Report } from './diagnostics';
import type { PipelineParts } from './pipeline';
import { DB_DURATION_BUCKETS, DB_OPERATION_DURATION, PG_INSTRUMENTATION_SCOPE, PG_POOL_METRICS } from './db/metric-names';
import { HotMeterProvider } from './hot-metrics/meter-provider';
import { HotMetrics } from './hot-metrics/registry';
import { inScrapeOrder } from './hot-metrics/scope-order';

/**
 * Seconds. Dense between 0.5 s and 3 s so p95/p99 resolve well around the 2 s
 * latency alert; sparse at the extremes where only the order of magnitude matters.
 */
export const HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 5, 7.5, 10,
];

export const PROMETHEUS_METRICS_PATH = '/metrics';

export const HTTP_SERVER_DURATION = 'http.server.request.duration';

function views(config: O4oConfig): ViewOptions[] {
  const limit = config.metrics.cardinalityLimit;
  const http: ViewOptions[] = [HTTP_SERVER_DURATION, 'http.client.request.duration'].map((instrumentName) => ({
    instrumentName,
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...HTTP_DURATION_BUCKETS] } },
    aggregationCardinalityLimit: limit,
  }));
  const database: ViewOptions[] = [
    {
      instrumentName: DB_OPERATION_DURATION,
      aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...DB_DURATION_BUCKETS] } },
      aggregationCardinalityLimit: limit,
    },
    // Pool usage comes from our own gauges (db/pg-pool-metrics.ts); these would duplicate each series.
    ...PG_POOL_METRICS.map((instrumentName) => ({ instrumentName, meterName: PG_INSTRUMENTATION_SCOPE, aggregation: { type: AggregationType.DROP } })),
  ];
  return [...http, ...database];
}

/** What a push exporter asks for; cumulative when it does not say, as the SDK reader decides. */
function temporalityOf(exporter: PushMetricExporter): AggregationTemporality {
  return exporter.selectAggregationTemporality?.(InstrumentType.HISTOGRAM) ?? AggregationTemporality.CUMULATIVE;
}

export function createMeterProvider(config: O4oConfig, resource: Resource, say: Report, pipeline: PipelineParts): MeterProvider {
  const { metrics } = config;
  // Aggregated here, not by the SDK; the views above still cover the same names from other scopes (instrumentation-pg).
  const hot = new HotMetrics({
    histograms: { [HTTP_SERVER_DURATION]: HTTP_DURATION_BUCKETS, [DB_OPERATION_DURATION]: DB_DURATION_BUCKETS },
    cardinalityLimit: metrics.cardinalityLimit,
    resource,
  });
  const readers: IMetricReader[] = [];
  for (const name of metrics.exporters) {
    if (name === 'prometheus') {
      const { ScrapeEndpoint } = require('./scrape/endpoint') as typeof import('./scrape/endpoint');
      const { host, port } = metrics.prometheus;
      // Started here rather than on construction, so a listen error is reported once, as one line.
      const endpoint = new ScrapeEndpoint({
        host,
        port,
        path: PROMETHEUS_METRICS_PATH,
        cardinalityLimit: metrics.cardinalityLimit,
        metricProducers: [hot.createProducer(AggregationTemporality.CUMULATIVE)],
        arrangeScopes: (scopes) => inScrapeOrder(scopes, hot),
      });
      endpoint.start().catch((error: Error) => {
        say(`metrics endpoint could not listen on ${host}:${port} (${error.message}); metrics are not served, the app continues`);
      });
      readers.push(endpoint);
    } else {
      const exporter = name === 'console' ? new ConsoleMetricExporter() : createMetricExporter(metrics.otlp, pipeline.export);
      // Pushed metrics wait in a retry buffer like spans; the crash flush leaves them (collecting is asynchronous).
      readers.push(
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: metrics.exportIntervalMillis,
          exportTimeoutMillis: metrics.exportTimeoutMillis,
          cardinalityLimits: { default: metrics.cardinalityLimit },
          metricProducers: [hot.createProducer(temporalityOf(exporter))],
        }),
      );
    }
  }
  return new HotMeterProvider({ resource, readers, views: views(config) }, hot);
}
