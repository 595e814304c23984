import { readFileSync } from 'node:fs';
import { addressBookFile, parseAddressBook, readAddressBook, stackEndpoints } from '../src';

const BOOK = ['# a comment', 'O4O_STACK_HOST=10.0.0.1', '', 'O4O_SEARCH_PORT=1001', 'O4O_JAEGER_QUERY_PORT=1002', 'O4O_JAEGER_OTLP_GRPC_PORT=1003', 'O4O_PROMETHEUS_PORT=1004',
  'O4O_ALERTMANAGER_PORT=1005', 'O4O_BLACKBOX_PORT=1006', 'O4O_COLLECTOR_OTLP_HTTP_PORT=1007', 'O4O_COLLECTOR_OTLP_GRPC_PORT=1008', 'O4O_COLLECTOR_HEALTH_PORT=1009',
  'O4O_COLLECTOR_TELEMETRY_PORT=1010', 'O4O_ALERT_HISTORY_PORT=1011', 'lower_case=skipped', '=skipped', 'NO_EQUALS_SIGN'].join('\n');

test('KEY=value lines only', () => {
  expect(parseAddressBook('A=1\n# B=2\nC_D=x=y\r\nlower=3\n  E=4\n')).toEqual({ A: '1', C_D: 'x=y' });
});

test('every address is derived from the host and a port of the book', () => {
  expect(stackEndpoints({}, BOOK)).toEqual({
    host: '10.0.0.1',
    search: 'http://10.0.0.1:1001',
    jaeger: 'http://10.0.0.1:1002',
    jaegerOtlpGrpc: '10.0.0.1:1003',
    prometheus: 'http://10.0.0.1:1004',
    alertmanager: 'http://10.0.0.1:1005',
    blackbox: 'http://10.0.0.1:1006',
    collectorOtlpHttp: 'http://10.0.0.1:1007',
    collectorOtlpGrpc: '10.0.0.1:1008',
    collectorHealth: 'http://10.0.0.1:1009',
    collectorMetrics: 'http://10.0.0.1:1010/metrics',
    alertHistory: 'http://10.0.0.1:1011',
  });
});

test('a non-empty environment variable of the same name wins; an empty one does not; others are ignored', () => {
  const endpoints = stackEndpoints({ O4O_PROMETHEUS_PORT: '19090', O4O_JAEGER_QUERY_PORT: '', O4O_PROMETHEUS_URL: 'http://elsewhere:1' }, BOOK);
  expect(endpoints.prometheus).toBe('http://10.0.0.1:19090');
  expect(endpoints.jaeger).toBe('http://10.0.0.1:1002');
  expect(readAddressBook({ UNRELATED: 'x' }, BOOK)).not.toHaveProperty('UNRELATED');
});

test('a book without an entry a consumer needs is an error naming it', () => {
  expect(() => stackEndpoints({}, 'O4O_STACK_HOST=127.0.0.1\n')).toThrow("the stack's address book has no O4O_SEARCH_PORT");
});

test("the repository's stack/endpoints.env is the book, and it has every entry", () => {
  expect(addressBookFile()).toMatch(/stack\/endpoints\.env$/);
  const text = readFileSync(addressBookFile(), 'utf8');
  expect(() => stackEndpoints({}, text)).not.toThrow();
  expect(stackEndpoints({})).toEqual(stackEndpoints({}, text));
});
