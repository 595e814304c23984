import { DEFAULTS, parseConfig } from '../src/config';

describe('parseConfig', () => {
  test('defaults: loopback 9097, the local collector', () => {
    expect(parseConfig({})).toEqual(DEFAULTS);
  });

  test('ALERT_HISTORY_HOST, ALERT_HISTORY_PORT, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME', () => {
    expect(parseConfig({ ALERT_HISTORY_HOST: '0.0.0.0', ALERT_HISTORY_PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'history' })).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      otlpEndpoint: 'http://collector:4318',
      serviceName: 'history',
    });
  });

  test('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT wins, without its /v1/logs', () => {
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://b:4318/v1/logs' }).otlpEndpoint).toBe('http://b:4318');
  });

  test('ALERT_HISTORY_PORT that is not a port fails naming the variable and the value', () => {
    expect(() => parseConfig({ ALERT_HISTORY_PORT: 'http' })).toThrow('ALERT_HISTORY_PORT="http" is not a port (0-65535)');
  });
});
