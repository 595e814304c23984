/**
 * For whoever runs the telemetry pipeline: what the collector takes in and
 * sends out, what it refuses or fails to send, and how full its queues are.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { COLLECTOR, RECORDED as R, THRESHOLDS } from '@o4o/alerting';
import { timeseries } from '../panels';
import { baseDashboard } from './common';

const rate = (series: string): string => `rate(${series}[$__rate_interval])`;

export function pipelineDashboard(): Dashboard {
  return baseDashboard('pipeline', 'The o4o collector: throughput by signal, refusals, export failures, queues, memory.')
    .withRow(new RowBuilder('Throughput'))
    .withPanel(
      timeseries({
        title: 'Accepted per second by receiver',
        description: 'Spans, metric points and log records accepted into the pipelines.',
        unit: 'short',
        queries: [
          { expr: `sum by (receiver) (${rate(COLLECTOR.receiverAcceptedSpans)})`, legend: 'spans {{receiver}}' },
          { expr: `sum by (receiver) (${rate(COLLECTOR.receiverAcceptedMetricPoints)})`, legend: 'metric points {{receiver}}' },
          { expr: `sum by (receiver) (${rate(COLLECTOR.receiverAcceptedLogRecords)})`, legend: 'log records {{receiver}}' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Sent per second by exporter',
        description: 'Items delivered to Jaeger, Prometheus and the log store.',
        unit: 'short',
        queries: [
          { expr: `sum by (exporter) (${rate(COLLECTOR.exporterSentSpans)})`, legend: 'spans {{exporter}}' },
          { expr: `sum by (exporter) (${rate(COLLECTOR.exporterSentMetricPoints)})`, legend: 'metric points {{exporter}}' },
          { expr: `sum by (exporter) (${rate(COLLECTOR.exporterSentLogRecords)})`, legend: 'log records {{exporter}}' },
        ],
      }),
    )
    .withRow(new RowBuilder('Losses'))
    .withPanel(
      timeseries({
        title: 'Refused per second',
        description: 'Items receivers refused (memory limiter, full pipeline): lost at the sender. The high alert fires when this stays above 0 for 10 minutes.',
        unit: 'short',
        queries: [{ expr: R.receiverRefused, legend: '{{signal}} {{receiver}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failed to send or enqueue per second',
        description: 'Items exporters gave up on after retries, or could not queue: lost. No data means none failed since the collector started.',
        unit: 'short',
        queries: [
          { expr: R.exporterFailed, legend: 'send failed {{signal}} {{exporter}}' },
          { expr: R.exporterEnqueueFailed, legend: 'enqueue failed {{signal}} {{exporter}}' },
        ],
      }),
    )
    .withRow(new RowBuilder('Queues and resources'))
    .withPanel(
      timeseries({
        title: 'Sending queue fill',
        description: `Queue size over capacity per exporter; the high alert fires above ${THRESHOLDS.queueFill * 100}% for 5 minutes.`,
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [{ expr: R.queueFill, legend: '{{exporter}} ({{data_type}})' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Collector memory',
        description: 'Resident memory of the collector process, against its memory limiter.',
        unit: 'bytes',
        queries: [{ expr: `max by (instance) (${COLLECTOR.processMemoryRss})`, legend: '{{instance}}' }],
      }),
    )
    .build();
}
