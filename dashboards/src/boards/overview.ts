/**
 * The first screen: is the platform healthy and is it selling? One row per
 * layer of the monitoring guide, each panel linking one level down.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { BUSINESS, PROBE, RECORDED as R, withIdentity } from '@o4o/alerting';
import { ENVIRONMENT_SELECTOR, environmentVariable, serviceVariable, SERVICE_SELECTOR, stat, timeseries } from '../panels';
import { baseDashboard } from './common';

export function overviewDashboard(): Dashboard {
  return baseDashboard('overview', 'Health of the O4O platform at a glance: business, services, infrastructure, telemetry. Click a panel to go one level down.')
    .withVariable(environmentVariable())
    .withVariable(serviceVariable())
    .withRow(new RowBuilder('Business'))
    .withPanel(
      stat({
        title: 'Orders in the last hour',
        description: 'Orders placed in the last hour, all statuses.',
        unit: 'short',
        queries: [{ expr: `sum(${withIdentity(`increase(${BUSINESS.ordersPlaced}[1h])`, ENVIRONMENT_SELECTOR)})` }],
        drillDown: ['business'],
      }),
    )
    .withPanel(
      stat({
        title: 'Revenue in the last hour',
        description: 'Revenue of confirmed orders in the last hour, per currency.',
        unit: 'short',
        queries: [{ expr: `sum by (currency) (${withIdentity(`increase(${BUSINESS.revenue}[1h])`, ENVIRONMENT_SELECTOR)})`, legend: '{{currency}}' }],
        drillDown: ['business'],
      }),
    )
    .withPanel(
      stat({
        title: 'Products out of stock',
        description: 'Products with no stock left (alert above 10).',
        unit: 'short',
        queries: [{ expr: `max(${withIdentity(BUSINESS.productsOutOfStock, ENVIRONMENT_SELECTOR)})` }],
        drillDown: ['business'],
      }),
    )
    .withPanel(
      stat({
        title: 'Health probes passing',
        description: 'Share of /health probes that succeed right now (blackbox exporter).',
        unit: 'percentunit',
        queries: [{ expr: `avg(${PROBE.success})` }],
        drillDown: ['service'],
      }),
    )
    .withRow(new RowBuilder('Services'))
    .withPanel(
      timeseries({
        title: 'Requests per second by service',
        description: 'HTTP requests served, per service.',
        unit: 'reqps',
        span: 8,
        queries: [{ expr: `sum by (service_name) (${R.requests}${SERVICE_SELECTOR})`, legend: '{{service_name}}' }],
        drillDown: ['service'],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error ratio by service (5xx)',
        description: 'Share of requests answered 5xx over 5 minutes; the critical alert fires above 5% for 5 minutes.',
        unit: 'percentunit',
        span: 8,
        min: 0,
        queries: [{ expr: `${R.errorRatio}${SERVICE_SELECTOR}`, legend: '{{service_name}} {{deployment_environment_name}}' }],
        drillDown: ['service'],
      }),
    )
    .withPanel(
      timeseries({
        title: 'p95 latency by service',
        description: '95th percentile of request duration over 5 minutes; the high alert fires above 2 s for 5 minutes.',
        unit: 's',
        span: 8,
        queries: [{ expr: `${R.p95}${SERVICE_SELECTOR}`, legend: '{{service_name}} {{deployment_environment_name}}' }],
        drillDown: ['service'],
      }),
    )
    .withRow(new RowBuilder('Infrastructure and telemetry'))
    .withPanel(
      stat({
        title: 'Host memory used',
        description: 'Memory in use (not cache or buffers).',
        unit: 'percentunit',
        queries: [{ expr: R.memoryUsed }],
        drillDown: ['infrastructure'],
      }),
    )
    .withPanel(
      stat({
        title: 'Least free disk',
        description: 'Free space of the fullest filesystem.',
        unit: 'percentunit',
        queries: [{ expr: `min(${R.filesystemFree})` }],
        drillDown: ['infrastructure'],
      }),
    )
    .withPanel(
      stat({
        title: 'Telemetry refused per second',
        description: 'Items the collector refused (all receivers and signals); anything above 0 is data lost at the source.',
        unit: 'short',
        queries: [{ expr: `sum(${R.receiverRefused})` }],
        drillDown: ['pipeline'],
      }),
    )
    .withPanel(
      stat({
        title: 'Fullest sending queue',
        description: 'Fill of the collector exporter queue closest to full; at 100% new data is dropped.',
        unit: 'percentunit',
        queries: [{ expr: `max(${R.queueFill})` }],
        drillDown: ['pipeline'],
      }),
    )
    .build();
}
