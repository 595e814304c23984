/**
 * Where the local stack (stack/start.sh) listens. Every address can be moved
 * with the same variables the stack scripts read.
 */
export const STACK = Object.freeze({
  collectorOtlpHttp: process.env.O4O_COLLECTOR_OTLP_HTTP ?? 'http://127.0.0.1:4318',
  collectorHealth: process.env.O4O_COLLECTOR_HEALTH ?? 'http://127.0.0.1:13133',
  collectorMetrics: process.env.O4O_COLLECTOR_METRICS ?? 'http://127.0.0.1:8888/metrics',
  prometheus: process.env.O4O_PROMETHEUS_URL ?? 'http://127.0.0.1:9090',
  alertmanager: process.env.O4O_ALERTMANAGER_URL ?? 'http://127.0.0.1:9093',
  jaeger: process.env.O4O_JAEGER_URL ?? 'http://127.0.0.1:16686',
  search: process.env.O4O_SEARCH_URL ?? 'http://127.0.0.1:9200',
});
