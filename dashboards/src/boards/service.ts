/**
 * For developers and on-call: one service's traffic, errors, latency by
 * route, database time and pool, and Node.js runtime. Span-metric panels show
 * trace exemplars that open in Jaeger.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RECORDED as R, SERVICE, SPANS, THRESHOLDS, withIdentity } from '@o4o/alerting';
import { environmentVariable, serviceVariable, SERVICE_SELECTOR, timeseries } from '../panels';
import { baseDashboard } from './common';

const SEL = SERVICE_SELECTOR;
const rate = (series: string): string => `rate(${series}[$__rate_interval])`;

export function serviceDashboard(): Dashboard {
  return baseDashboard('service', 'One service in depth: rate, errors, latency per route, database, runtime. Pick the service and environment above.')
    .withVariable(environmentVariable())
    .withVariable(serviceVariable())
    .withRow(new RowBuilder('Traffic and errors'))
    .withPanel(
      timeseries({
        title: 'Requests per second by route',
        description: 'Requests served per route template (a request that matched no route has no route label).',
        unit: 'reqps',
        queries: [{ expr: `sum by (http_route) (${R.routeRequests}${SEL})`, legend: '{{http_route}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Responses by status code',
        description: 'Responses per second by HTTP status code.',
        unit: 'reqps',
        queries: [{ expr: `sum by (http_response_status_code) (${R.routeRequests}${SEL})`, legend: '{{http_response_status_code}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error ratio (5xx)',
        description: `Share of requests answered 5xx over 5 minutes; the critical alert fires above ${THRESHOLDS.errorRatio * 100}% for 5 minutes with at least ${THRESHOLDS.minErrorsIn5m} errors.`,
        unit: 'percentunit',
        min: 0,
        queries: [{ expr: `${R.errorRatio}${SEL}`, legend: '{{service_name}} {{deployment_environment_name}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Server spans per second by outcome',
        description: 'Calls of server spans by span status (span metrics); errors here are requests the service marked failed.',
        unit: 'reqps',
        queries: [{ expr: `sum by (status_code) (${withIdentity(rate(`${SPANS.calls}{span_kind="SPAN_KIND_SERVER"}`), SEL)})`, legend: '{{status_code}}' }],
      }),
    )
    .withRow(new RowBuilder('Latency'))
    .withPanel(
      timeseries({
        title: 'Latency p50, p95, p99',
        description: `Request duration quantiles over 5 minutes; the high alert fires when p95 is above ${THRESHOLDS.p95Seconds} s for 5 minutes.`,
        unit: 's',
        queries: [
          { expr: `${R.p50}${SEL}`, legend: 'p50 {{service_name}}' },
          { expr: `${R.p95}${SEL}`, legend: 'p95 {{service_name}}' },
          { expr: `${R.p99}${SEL}`, legend: 'p99 {{service_name}}' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'p95 latency by route',
        description: '95th percentile of request duration per route template.',
        unit: 's',
        queries: [{ expr: `${R.routeP95}${SEL}`, legend: '{{http_route}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'p50 and p99 latency by route',
        description: 'Median and 99th percentile per route template.',
        unit: 's',
        queries: [
          { expr: `histogram_quantile(0.5, sum by (http_route, le) (${R.routeBuckets}${SEL}))`, legend: 'p50 {{http_route}}' },
          { expr: `histogram_quantile(0.99, sum by (http_route, le) (${R.routeBuckets}${SEL}))`, legend: 'p99 {{http_route}}' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'p95 of server spans, with traces',
        description: 'Span-metrics latency per operation; the dots are exemplars: click one to open its trace in Jaeger.',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.95, sum by (span_name, le) (${withIdentity(rate(`${SPANS.duration}_bucket{span_kind="SPAN_KIND_SERVER"}`), SEL)}))`,
            legend: '{{span_name}}',
            exemplar: true,
          },
        ],
      }),
    )
    .withRow(new RowBuilder('Database'))
    .withPanel(
      timeseries({
        title: 'Database time p95 by operation',
        description: 'db.client.operation.duration: 95th percentile per operation (SELECT, INSERT, ...).',
        unit: 's',
        queries: [{ expr: `histogram_quantile(0.95, sum by (db_operation_name, le) (${withIdentity(rate(`${SERVICE.dbOperationDuration}_bucket`), SEL)}))`, legend: '{{db_operation_name}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Database time per second by operation',
        description: 'Seconds spent in the database per second of wall time: where request time goes.',
        unit: 's',
        queries: [{ expr: `sum by (db_operation_name) (${withIdentity(rate(`${SERVICE.dbOperationDuration}_sum`), SEL)})`, legend: '{{db_operation_name}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Connection pool',
        description: 'Connections in use and idle, the pool maximum, and requests waiting for a connection.',
        unit: 'short',
        span: 24,
        queries: [
          { expr: `sum by (db_client_connection_state) (${withIdentity(SERVICE.dbConnectionUsage, SEL)})`, legend: '{{db_client_connection_state}}' },
          { expr: `sum(${withIdentity(SERVICE.dbConnectionMax, SEL)})`, legend: 'max' },
          { expr: `sum(${withIdentity(SERVICE.dbConnectionPending, SEL)})`, legend: 'waiting' },
        ],
      }),
    )
    .withRow(new RowBuilder('Runtime'))
    .withPanel(
      timeseries({
        title: 'Event loop delay p99',
        description: 'A blocked event loop delays every request on the instance.',
        unit: 's',
        queries: [{ expr: `max by (instance) (${withIdentity(SERVICE.eventLoopDelayP99, SEL)})`, legend: 'p99 delay {{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Event loop utilisation',
        description: 'Share of time the event loop was busy.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [{ expr: `max by (instance) (${withIdentity(SERVICE.eventLoopUtilization, SEL)})`, legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'V8 heap used',
        description: 'Heap in use per instance, against the heap spaces reserved.',
        unit: 'bytes',
        queries: [
          { expr: `sum by (instance) (${withIdentity(SERVICE.heapUsed, SEL)})`, legend: 'used {{instance}}' },
          { expr: `sum by (instance) (${withIdentity(SERVICE.heapLimit, SEL)})`, legend: 'reserved {{instance}}' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Garbage collection time per second',
        description: 'Seconds of GC pause per second, by kind.',
        unit: 's',
        queries: [{ expr: `sum by (v8js_gc_type) (${withIdentity(rate(`${SERVICE.gcDuration}_sum`), SEL)})`, legend: '{{v8js_gc_type}}' }],
      }),
    )
    .build();
}
