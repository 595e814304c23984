/**
 * For the business: orders, revenue, conversion, who buys, and stock. Built on
 * @o4o/otel's business registry (o4o.* instruments). Money is per currency:
 * never summed across currencies.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { BUSINESS, THRESHOLDS, withIdentity } from '@o4o/alerting';
import { ENVIRONMENT_SELECTOR, environmentVariable, stat, timeseries } from '../panels';
import { baseDashboard } from './common';

const E = ENVIRONMENT_SELECTOR;
/** Orders placed per hour, from a rate so the graph is smooth and any range works. */
const perHour = (metric: string, by: string): string => `3600 * sum by (${by}) (${withIdentity(`rate(${metric}[$__rate_interval])`, E)})`;

export function businessDashboard(): Dashboard {
  return baseDashboard('business', 'Orders, revenue, conversion, buyers by role and stock, for management and operations. Amounts are in major units of each currency.')
    .withVariable(environmentVariable())
    .withRow(new RowBuilder('Orders and revenue'))
    .withPanel(
      stat({
        title: 'Orders in the last hour',
        description: 'Orders placed in the last hour, all statuses.',
        unit: 'short',
        queries: [{ expr: `sum(${withIdentity(`increase(${BUSINESS.ordersPlaced}[1h])`, E)})` }],
      }),
    )
    .withPanel(
      stat({
        title: 'Revenue today',
        description: 'Revenue of confirmed orders over the last 24 hours, per currency.',
        unit: 'short',
        queries: [{ expr: `sum by (currency) (${withIdentity(`increase(${BUSINESS.revenue}[1d])`, E)})`, legend: '{{currency}}' }],
      }),
    )
    .withPanel(
      stat({
        title: 'Revenue in the last 30 days',
        description: 'Revenue of confirmed orders over the last 30 days, per currency (what Prometheus retains of it).',
        unit: 'short',
        queries: [{ expr: `sum by (currency) (${withIdentity(`increase(${BUSINESS.revenue}[30d])`, E)})`, legend: '{{currency}}' }],
      }),
    )
    .withPanel(
      stat({
        title: 'Checkout conversion (1 h)',
        description: 'Orders placed divided by checkouts started, over the last hour.',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum(${withIdentity(`increase(${BUSINESS.ordersPlaced}[1h])`, E)})\n/\nsum(${withIdentity(`increase(${BUSINESS.checkoutsStarted}[1h])`, E)})`,
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Orders per hour by status',
        description: 'Order rate, as orders per hour, by status at the time of recording.',
        unit: 'short',
        queries: [{ expr: perHour(BUSINESS.ordersPlaced, 'status'), legend: '{{status}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Revenue per hour by currency',
        description: 'Revenue rate of confirmed orders, per hour, by currency.',
        unit: 'short',
        queries: [{ expr: perHour(BUSINESS.revenue, 'currency'), legend: '{{currency}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Average order value by currency',
        description: 'Mean order amount over 1 hour windows, per currency.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (currency) (${withIdentity(`rate(${BUSINESS.orderValue}_sum[1h])`, E)})\n/\nsum by (currency) (${withIdentity(`rate(${BUSINESS.orderValue}_count[1h])`, E)})`,
            legend: '{{currency}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Checkout conversion',
        description: 'Orders placed per checkout started, over 1 hour windows.',
        unit: 'percentunit',
        min: 0,
        queries: [
          {
            expr: `sum(${withIdentity(`rate(${BUSINESS.ordersPlaced}[1h])`, E)})\n/\nsum(${withIdentity(`rate(${BUSINESS.checkoutsStarted}[1h])`, E)})`,
            legend: 'conversion',
          },
        ],
      }),
    )
    .withRow(new RowBuilder('Buyers and payments'))
    .withPanel(
      timeseries({
        title: 'Orders per hour by buyer role',
        description: 'Which roles buy: customer, business, affiliate, supplier, admin, guest.',
        unit: 'short',
        queries: [{ expr: perHour(BUSINESS.ordersPlaced, 'user_role'), legend: '{{user_role}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Payments per hour by outcome',
        description: 'Payment attempts by outcome; a rise in failed or timeout points at the payment provider.',
        unit: 'short',
        queries: [{ expr: perHour(BUSINESS.paymentsProcessed, 'outcome'), legend: '{{outcome}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Registrations per hour by role',
        description: 'New users per hour.',
        unit: 'short',
        queries: [{ expr: perHour(BUSINESS.usersRegistered, 'user_role'), legend: '{{user_role}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Active users and active orders',
        description: 'Read from the database by each service instance; max across instances.',
        unit: 'short',
        queries: [
          { expr: `max(${withIdentity(BUSINESS.usersActive, E)})`, legend: 'active users' },
          { expr: `max(${withIdentity(BUSINESS.ordersActive, E)})`, legend: 'active orders' },
        ],
      }),
    )
    .withRow(new RowBuilder('Stock'))
    .withPanel(
      timeseries({
        title: 'Products out of stock and low on stock',
        description: `Products without stock (high alert above ${THRESHOLDS.outOfStockProducts} for 10 minutes) and at or below their reorder threshold.`,
        unit: 'short',
        span: 24,
        min: 0,
        queries: [
          { expr: `max(${withIdentity(BUSINESS.productsOutOfStock, E)})`, legend: 'out of stock' },
          { expr: `max(${withIdentity(BUSINESS.productsLowStock, E)})`, legend: 'low stock' },
        ],
      }),
    )
    .build();
}
