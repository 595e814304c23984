import { parsePromql } from '../src/promql';

describe('parsePromql', () => {
  test('the monitoring guide sample `orders_total by (user_role)` does not parse', () => {
    expect(parsePromql('orders_total by (user_role)').errors).not.toHaveLength(0);
  });

  test('a valid query parses and names its metrics, not its labels or functions', () => {
    const parsed = parsePromql('histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_bucket{job="x"}[5m]))) / on (job) group_left (service) o4o:target:identity');
    expect(parsed.errors).toEqual([]);
    expect([...parsed.metricNames].sort()).toEqual(['http_server_request_duration_bucket', 'o4o:target:identity']);
  });
});
