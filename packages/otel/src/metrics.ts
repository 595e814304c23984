/**
 * The meter provider: a Prometheus endpoint for scrapes, optional OTLP push,
 * histogram buckets chosen for the latency alerts, and a cardinality limit on
 * every instrument.
 */
import {
  AggregationType,
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type IMetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import type { O4oConfig } from './config';
import { createMetricExporter } from './exporters';
import type { Report } from './diagnostics';
import type { PipelineParts } from './pipeline';
import { DB_DURATION_BUCKETS, DB_OPERATION_DURATION, PG_INSTRUMENTATION_SCOPE, PG_POOL_METRICS } from './db/metric-names';

/**
 * Seconds. Dense between 0.5 s and 3 s so p95/p99 resolve well around the 2 s
 * latency alert; sparse at the extremes where only the order of magnitude matters.
 */
export const HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 5, 7.5, 10,
];

export const PROMETHEUS_METRICS_PATH = '/metrics';

function views(config: O4oConfig): ViewOptions[] {
  const limit = config.metrics.cardinalityLimit;
  const http: ViewOptions[] = ['http.server.request.duration', 'http.client.request.duration'].map((instrumentName) => ({
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

function withCardinalityLimit<T extends IMetricReader>(reader: T, limit: number): T {
  // The Prometheus exporter does not pass a cardinality selector to its base class;
  // setting the limit on the instance applies it to every instrument it reads.
  (reader as unknown as { selectCardinalityLimit: () => number }).selectCardinalityLimit = () => limit;
  return reader;
}

export function createMeterProvider(config: O4oConfig, resource: Resource, say: Report, pipeline: PipelineParts): MeterProvider {
  const { metrics } = config;
  const readers: IMetricReader[] = [];
  for (const name of metrics.exporters) {
    if (name === 'prometheus') {
      const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
      const { host, port } = metrics.prometheus;
      // Started here rather than by the exporter, which would log the listen error a second time.
      const exporter = new PrometheusExporter({ host, port, endpoint: PROMETHEUS_METRICS_PATH, withoutScopeInfo: true, preventServerStart: true });
      exporter.startServer().catch((error: Error) => {
        say(`metrics endpoint could not listen on ${host}:${port} (${error.message}); metrics are not served, the app continues`);
      });
      readers.push(withCardinalityLimit(exporter, metrics.cardinalityLimit));
    } else {
      const exporter = name === 'console' ? new ConsoleMetricExporter() : createMetricExporter(metrics.otlp, pipeline.export);
      // Pushed metrics wait in a retry buffer like spans; the crash flush leaves them (collecting is asynchronous).
      readers.push(
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: metrics.exportIntervalMillis,
          exportTimeoutMillis: metrics.exportTimeoutMillis,
          cardinalityLimits: { default: metrics.cardinalityLimit },
        }),
      );
    }
  }
  return new MeterProvider({ resource, readers, views: views(config) });
}
