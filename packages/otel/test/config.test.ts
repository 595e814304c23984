/**
 * parseConfig: a pure function from an environment to a frozen configuration.
 * One case per variable, named after it.
 */
import { DEFAULTS, effectiveTracer, parseConfig } from '../src/config';
import { describeConfig } from '../src/config-summary';

describe('parseConfig', () => {
  test('an empty environment gives the documented defaults and no diagnostics', () => {
    const { config, diagnostics } = parseConfig({});
    expect(diagnostics).toEqual([]);
    expect(config.disabled).toBe(false);
    expect(config.serviceName).toBe(DEFAULTS.serviceName);
    expect(config.traces.exporters).toEqual(['otlp']);
    expect(config.traces.otlp).toEqual({ url: 'http://localhost:4318/v1/traces', protocol: 'http/protobuf', headers: {}, timeoutMillis: 10_000, compression: 'none', tls: {} });
    expect(config.traces.sampler).toBe('parentbased_always_on');
    expect(config.metrics.exporters).toEqual(['prometheus']);
    expect(config.metrics.prometheus).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(config.logs.exporters).toEqual(['otlp']);
    expect(config.logs.otlp.url).toBe('http://localhost:4318/v1/logs');
    expect(config.instrumentations).toEqual(['http', 'express', 'undici', 'runtime-node', 'pg', 'typeorm', 'winston']);
    expect(config.logs.redaction).toEqual({ keys: [], maskEmails: true, limits: { maxNodes: 10_000, maxChars: 1_048_576 } });
    expect(config.health.detailedToken).toBeUndefined();
    expect(config.health.cacheMillis).toBe(1_000);
    expect(config.business.maxAmount).toBe(1e12);
    expect(config.database.captureParameters).toBe(false);
    expect(config.shutdownTimeoutMillis).toBe(5_000);
    expect(config.exportBufferBytes).toBe(32 * 1024 * 1024);
    expect([config.traces.batch.maxQueueBytes, config.logs.batch.maxQueueBytes]).toEqual([8 * 1024 * 1024, 8 * 1024 * 1024]);
    expect(config.crashFlushTimeoutMillis).toBe(2_000);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.traces)).toBe(true);
  });

  test('the environment object is only read, never written', () => {
    const env = Object.freeze({ OTEL_SERVICE_NAME: 'shop', OTEL_EXPORTER_PROMETHEUS_PORT: 'x' });
    expect(() => parseConfig(env)).not.toThrow();
  });

  type Case = [variables: Record<string, string>, check: (c: ReturnType<typeof parseConfig>['config']) => unknown, expected: unknown];
  const cases: Record<string, Case> = {
    OTEL_SERVICE_NAME: [{ OTEL_SERVICE_NAME: 'shop-api' }, (c) => c.serviceName, 'shop-api'],
    'OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES': [
      { OTEL_SERVICE_NAME: 'a', OTEL_RESOURCE_ATTRIBUTES: 'service.name=b' },
      (c) => [c.serviceName, c.resourceAttributes['service.name']],
      ['a', 'a'],
    ],
    OTEL_RESOURCE_ATTRIBUTES: [
      { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.version=1.2.3,team=shop%20core' },
      (c) => c.resourceAttributes,
      { 'deployment.environment.name': 'prod', 'service.version': '1.2.3', team: 'shop core', 'service.name': DEFAULTS.serviceName },
    ],
    'OTEL_SDK_DISABLED=true': [{ OTEL_SDK_DISABLED: 'true' }, (c) => c.disabled, true],
    'OTEL_SDK_DISABLED is case-insensitive': [{ OTEL_SDK_DISABLED: 'TRUE' }, (c) => c.disabled, true],
    OTEL_LOG_LEVEL: [{ OTEL_LOG_LEVEL: 'DEBUG' }, (c) => c.logLevel, 'debug'],
    OTEL_EXPORTER_OTLP_ENDPOINT: [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' },
      (c) => [c.traces.otlp.url, c.metrics.otlp.url, c.logs.otlp.url],
      ['http://collector:4318/v1/traces', 'http://collector:4318/v1/metrics', 'http://collector:4318/v1/logs'],
    ],
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as given': [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/custom/path' },
      (c) => [c.traces.otlp.url, c.logs.otlp.url],
      ['https://b/custom/path', 'http://a:4318/v1/logs'],
    ],
    OTEL_EXPORTER_OTLP_HEADERS: [
      { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-team=shop', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-team=logs' },
      (c) => [c.traces.otlp.headers, c.logs.otlp.headers],
      [{ authorization: 'Bearer abc', 'x-team': 'shop' }, { authorization: 'Bearer abc', 'x-team': 'logs' }],
    ],
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/json': [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, (c) => c.traces.otlp.protocol, 'http/json'],
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf' },
      (c) => [c.traces.otlp.protocol, c.metrics.otlp.protocol],
      ['http/json', 'http/protobuf'],
    ],
    OTEL_EXPORTER_OTLP_TIMEOUT: [{ OTEL_EXPORTER_OTLP_TIMEOUT: '2500' }, (c) => c.logs.otlp.timeoutMillis, 2500],
    OTEL_TRACES_SAMPLER: [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, (c) => [c.traces.sampler, c.traces.samplerRatio], ['parentbased_traceidratio', 0.25]],
    'O4O_OTEL_TRACER=sdk': [{ O4O_OTEL_TRACER: 'SDK' }, (c) => [c.traces.tracer, effectiveTracer(c)], ['sdk', 'sdk']],
    'O4O_OTEL_TRACER=lean falls back to the SDK tracer for OTLP/JSON and the console exporter': [
      { O4O_OTEL_TRACER: 'lean', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_TRACES_EXPORTER: 'otlp,console' },
      (c) => [c.traces.tracer, effectiveTracer(c)],
      ['lean', 'sdk'],
    ],
    'the lean tracer is the default, also with traces off': [{ OTEL_TRACES_EXPORTER: 'none' }, (c) => effectiveTracer(c), 'lean'],
    'OTEL_SPAN_EVENT_COUNT_LIMIT, OTEL_SPAN_LINK_COUNT_LIMIT, OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT, OTEL_LINK_ATTRIBUTE_COUNT_LIMIT': [
      { OTEL_SPAN_EVENT_COUNT_LIMIT: '5', OTEL_SPAN_LINK_COUNT_LIMIT: '0', OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '3', OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '2' },
      (c) => [c.traces.eventCountLimit, c.traces.linkCountLimit, c.traces.attributePerEventCountLimit, c.traces.attributePerLinkCountLimit],
      [5, 0, 3, 2],
    ],
    'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT wins over OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT for spans only': [
      { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '20' },
      (c) => [c.traces.attributeValueLengthLimit, c.logs.attributeValueLengthLimit],
      [20, 100],
    ],
    'OTEL_TRACES_SAMPLER_ARG is ignored for samplers without a ratio': [{ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'abc' }, (c) => c.traces.samplerRatio, 1],
    'OTEL_TRACES_EXPORTER=none': [{ OTEL_TRACES_EXPORTER: 'none' }, (c) => c.traces.exporters, []],
    'OTEL_TRACES_EXPORTER=otlp,console': [{ OTEL_TRACES_EXPORTER: 'otlp,console' }, (c) => c.traces.exporters, ['otlp', 'console']],
    'OTEL_METRICS_EXPORTER=prometheus,otlp': [{ OTEL_METRICS_EXPORTER: 'prometheus, otlp' }, (c) => c.metrics.exporters, ['prometheus', 'otlp']],
    'OTEL_LOGS_EXPORTER=none': [{ OTEL_LOGS_EXPORTER: 'none' }, (c) => c.logs.exporters, []],
    OTEL_EXPORTER_PROMETHEUS_HOST: [{ OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0' }, (c) => c.metrics.prometheus.host, '0.0.0.0'],
    OTEL_EXPORTER_PROMETHEUS_PORT: [{ OTEL_EXPORTER_PROMETHEUS_PORT: '9100' }, (c) => c.metrics.prometheus.port, 9100],
    OTEL_METRIC_EXPORT_INTERVAL: [{ OTEL_METRIC_EXPORT_INTERVAL: '15000' }, (c) => c.metrics.exportIntervalMillis, 15000],
    'OTEL_METRIC_EXPORT_TIMEOUT is bounded by the interval': [{ OTEL_METRIC_EXPORT_INTERVAL: '1000' }, (c) => c.metrics.exportTimeoutMillis, 1000],
    OTEL_BSP_SCHEDULE_DELAY: [{ OTEL_BSP_SCHEDULE_DELAY: '200' }, (c) => c.traces.batch.scheduledDelayMillis, 200],
    OTEL_BSP_MAX_QUEUE_SIZE: [{ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50' }, (c) => [c.traces.batch.maxQueueSize, c.traces.batch.maxExportBatchSize], [100, 50]],
    OTEL_BSP_EXPORT_TIMEOUT: [{ OTEL_BSP_EXPORT_TIMEOUT: '3000' }, (c) => c.traces.batch.exportTimeoutMillis, 3000],
    OTEL_BLRP_SCHEDULE_DELAY: [{ OTEL_BLRP_SCHEDULE_DELAY: '100' }, (c) => c.logs.batch.scheduledDelayMillis, 100],
    OTEL_BLRP_MAX_QUEUE_SIZE: [{ OTEL_BLRP_MAX_QUEUE_SIZE: '4096' }, (c) => c.logs.batch.maxQueueSize, 4096],
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: [{ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express' }, (c) => c.instrumentations, ['http', 'express']],
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS accepts package names': [{ OTEL_NODE_ENABLED_INSTRUMENTATIONS: '@opentelemetry/instrumentation-http' }, (c) => c.instrumentations, ['http']],
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: [{ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici,runtime-node,pg,typeorm,winston' }, (c) => c.instrumentations, ['http', 'express']],
    OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: [{ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '256' }, (c) => c.traces.attributeValueLengthLimit, 256],
    O4O_OTEL_IGNORED_PATHS: [{ O4O_OTEL_IGNORED_PATHS: '/ping,/internal/*' }, (c) => c.ignoredPaths, ['/ping', '/internal/*']],
    O4O_OTEL_SHUTDOWN_TIMEOUT_MS: [{ O4O_OTEL_SHUTDOWN_TIMEOUT_MS: '1500' }, (c) => c.shutdownTimeoutMillis, 1500],
    O4O_OTEL_METRIC_CARDINALITY_LIMIT: [{ O4O_OTEL_METRIC_CARDINALITY_LIMIT: '500' }, (c) => c.metrics.cardinalityLimit, 500],
    O4O_OTEL_DB_CAPTURE_PARAMETERS: [{ O4O_OTEL_DB_CAPTURE_PARAMETERS: 'true' }, (c) => c.database.captureParameters, true],
    O4O_OTEL_EXPORT_BUFFER_BYTES: [{ O4O_OTEL_EXPORT_BUFFER_BYTES: '1048576' }, (c) => c.exportBufferBytes, 1_048_576],
    O4O_OTEL_BSP_MAX_QUEUE_BYTES: [{ O4O_OTEL_BSP_MAX_QUEUE_BYTES: '65536' }, (c) => [c.traces.batch.maxQueueBytes, c.logs.batch.maxQueueBytes], [65_536, 8 * 1024 * 1024]],
    O4O_OTEL_BLRP_MAX_QUEUE_BYTES: [{ O4O_OTEL_BLRP_MAX_QUEUE_BYTES: '65536' }, (c) => [c.traces.batch.maxQueueBytes, c.logs.batch.maxQueueBytes], [8 * 1024 * 1024, 65_536]],
    O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS: [{ O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS: '500' }, (c) => c.crashFlushTimeoutMillis, 500],
    'O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS=0 turns it off': [{ O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS: '0' }, (c) => c.crashFlushTimeoutMillis, 0],
    O4O_OTEL_LOG_REDACT_KEYS: [{ O4O_OTEL_LOG_REDACT_KEYS: 'nationalId, IBAN' }, (c) => c.logs.redaction.keys, ['nationalid', 'iban']],
    O4O_OTEL_LOG_MASK_EMAILS: [{ O4O_OTEL_LOG_MASK_EMAILS: 'false' }, (c) => c.logs.redaction.maskEmails, false],
    OTEL_EXPORTER_OTLP_COMPRESSION: [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'none' }, (c) => [c.traces.otlp.compression, c.logs.otlp.compression], ['gzip', 'none']],
    OTEL_EXPORTER_OTLP_CERTIFICATE: [
      { OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/ca.pem', OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/etc/c.pem', OTEL_EXPORTER_OTLP_CLIENT_KEY: '/etc/c.key', OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: '/etc/traces-ca.pem' },
      (c) => [c.traces.otlp.tls, c.logs.otlp.tls.certificate],
      [{ certificate: '/etc/traces-ca.pem', clientCertificate: '/etc/c.pem', clientKey: '/etc/c.key' }, '/etc/ca.pem'],
    ],
    O4O_OTEL_LOG_REDACT_MAX_VALUES: [{ O4O_OTEL_LOG_REDACT_MAX_VALUES: '500' }, (c) => c.logs.redaction.limits.maxNodes, 500],
    O4O_OTEL_LOG_REDACT_MAX_CHARS: [{ O4O_OTEL_LOG_REDACT_MAX_CHARS: '65536' }, (c) => c.logs.redaction.limits.maxChars, 65536],
    O4O_OTEL_REDACT_QUERY_PARAMS: [{ O4O_OTEL_REDACT_QUERY_PARAMS: 'voucher, Promo_Code' }, (c) => c.traces.redactQueryParameters, ['voucher', 'promocode']],
    OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: [{ OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1000' }, (c) => c.logs.attributeValueLengthLimit, 1000],
    'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT applies to log records too': [{ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '300' }, (c) => c.logs.attributeValueLengthLimit, 300],
    OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: [{ OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: '16' }, (c) => [c.logs.attributeCountLimit, c.traces.attributeCountLimit], [16, 128]],
    OTEL_ATTRIBUTE_COUNT_LIMIT: [{ OTEL_ATTRIBUTE_COUNT_LIMIT: '64' }, (c) => [c.logs.attributeCountLimit, c.traces.attributeCountLimit], [64, 64]],
    O4O_OTEL_HEALTH_TOKEN: [{ O4O_OTEL_HEALTH_TOKEN: 'a-long-enough-health-token' }, (c) => c.health.detailedToken, 'a-long-enough-health-token'],
    O4O_OTEL_HEALTH_CACHE_MS: [{ O4O_OTEL_HEALTH_CACHE_MS: '250' }, (c) => c.health.cacheMillis, 250],
    O4O_OTEL_BUSINESS_MAX_AMOUNT: [{ O4O_OTEL_BUSINESS_MAX_AMOUNT: '50000000' }, (c) => c.business.maxAmount, 50_000_000],
    'O4O_OTEL_HEALTH_CACHE_MS=0 turns the cache off': [{ O4O_OTEL_HEALTH_CACHE_MS: '0' }, (c) => c.health.cacheMillis, 0],
  };

  test.each(Object.entries(cases))('%s', (_name, [variables, check, expected]) => {
    const { config, diagnostics } = parseConfig(variables);
    expect(diagnostics).toEqual([]);
    expect(check(config)).toEqual(expected);
  });

  type BadCase = [variables: Record<string, string>, diagnostic: RegExp, check: (c: ReturnType<typeof parseConfig>['config']) => unknown, fallback: unknown];
  const bad: Record<string, BadCase> = {
    'OTEL_EXPORTER_PROMETHEUS_PORT=99999': [{ OTEL_EXPORTER_PROMETHEUS_PORT: '99999' }, /^OTEL_EXPORTER_PROMETHEUS_PORT="99999" is not a port from 0 to 65535; using 9464$/, (c) => c.metrics.prometheus.port, 9464],
    'OTEL_TRACES_SAMPLER_ARG=abc': [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'abc' },
      /^OTEL_TRACES_SAMPLER_ARG="abc" is not a ratio from 0 to 1; using 1$/,
      (c) => c.traces.samplerRatio,
      1,
    ],
    'O4O_OTEL_TRACER=fast': [{ O4O_OTEL_TRACER: 'fast' }, /^O4O_OTEL_TRACER="fast" is not one of lean, sdk; using lean$/, (c) => c.traces.tracer, 'lean'],
    'OTEL_SPAN_EVENT_COUNT_LIMIT=-1': [{ OTEL_SPAN_EVENT_COUNT_LIMIT: '-1' }, /^OTEL_SPAN_EVENT_COUNT_LIMIT="-1" is not an integer from 0 to 100000; using 128$/, (c) => c.traces.eventCountLimit, 128],
    'OTEL_TRACES_SAMPLER=sometimes': [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /^OTEL_TRACES_SAMPLER="sometimes" is not one of .*; using parentbased_always_on$/, (c) => c.traces.sampler, 'parentbased_always_on'],
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS with an unknown name': [
      { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,mongoose' },
      /^OTEL_NODE_ENABLED_INSTRUMENTATIONS="http,mongoose" names unknown instrumentation "mongoose" \(known: .*\); ignoring it$/,
      (c) => c.instrumentations,
      ['http'],
    ],
    'OTEL_EXPORTER_OTLP_PROTOCOL=grpc': [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /^OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not one of http\/protobuf, http\/json; using http\/protobuf$/, (c) => c.traces.otlp.protocol, 'http/protobuf'],
    'OTEL_TRACES_EXPORTER=zipkin': [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /^OTEL_TRACES_EXPORTER="zipkin" names unknown exporter "zipkin" .*; using otlp$/, (c) => c.traces.exporters, ['otlp']],
    'O4O_OTEL_DB_CAPTURE_PARAMETERS=yes': [{ O4O_OTEL_DB_CAPTURE_PARAMETERS: 'yes' }, /^O4O_OTEL_DB_CAPTURE_PARAMETERS="yes" is not true or false; using false$/, (c) => c.database.captureParameters, false],
    'O4O_OTEL_HEALTH_TOKEN shorter than 16 characters': [{ O4O_OTEL_HEALTH_TOKEN: 'short' }, /^O4O_OTEL_HEALTH_TOKEN is shorter than 16 characters; ignoring it/, (c) => c.health.detailedToken, undefined],
    'O4O_OTEL_HEALTH_CACHE_MS=-1': [{ O4O_OTEL_HEALTH_CACHE_MS: '-1' }, /^O4O_OTEL_HEALTH_CACHE_MS="-1" is not an integer from 0 to 600000; using 1000$/, (c) => c.health.cacheMillis, 1_000],
    'O4O_OTEL_BUSINESS_MAX_AMOUNT=1e12': [
      { O4O_OTEL_BUSINESS_MAX_AMOUNT: '1e12' },
      /^O4O_OTEL_BUSINESS_MAX_AMOUNT="1e12" is not an integer from 1 to 9007199254740991; using 1000000000000$/,
      (c) => c.business.maxAmount,
      1e12,
    ],
    'OTEL_EXPORTER_OTLP_CLIENT_KEY without a certificate': [
      { OTEL_EXPORTER_OTLP_CLIENT_KEY: '/etc/c.key' },
      /^OTEL_EXPORTER_OTLP_CLIENT_KEY is set without OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE; sending no client certificate$/,
      (c) => c.traces.otlp.tls,
      {},
    ],
    'OTEL_EXPORTER_OTLP_COMPRESSION=brotli': [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' }, /^OTEL_EXPORTER_OTLP_COMPRESSION="brotli" is not one of gzip, none; using none$/, (c) => c.traces.otlp.compression, 'none'],
    'OTEL_SDK_DISABLED=yes': [{ OTEL_SDK_DISABLED: 'yes' }, /^OTEL_SDK_DISABLED="yes" is not true or false; using false$/, (c) => c.disabled, false],
    'OTEL_EXPORTER_OTLP_ENDPOINT=not a url': [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is not an http\(s\) URL; ignoring it$/, (c) => c.traces.otlp.url, 'http://localhost:4318/v1/traces'],
    'OTEL_BSP_MAX_EXPORT_BATCH_SIZE above the queue size': [
      { OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' },
      /^OTEL_BSP_MAX_EXPORT_BATCH_SIZE=20 exceeds OTEL_BSP_MAX_QUEUE_SIZE=10; using 10$/,
      (c) => c.traces.batch.maxExportBatchSize,
      10,
    ],
    'O4O_OTEL_EXPORT_BUFFER_BYTES=32MiB': [
      { O4O_OTEL_EXPORT_BUFFER_BYTES: '32MiB' },
      /^O4O_OTEL_EXPORT_BUFFER_BYTES="32MiB" is not an integer from 1024 to 1073741824; using 33554432$/,
      (c) => c.exportBufferBytes,
      33_554_432,
    ],
    'O4O_OTEL_BSP_MAX_QUEUE_BYTES=10': [
      { O4O_OTEL_BSP_MAX_QUEUE_BYTES: '10' },
      /^O4O_OTEL_BSP_MAX_QUEUE_BYTES="10" is not an integer from 1024 to 1073741824; using 8388608$/,
      (c) => c.traces.batch.maxQueueBytes,
      8_388_608,
    ],
    'O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS=-1': [
      { O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS: '-1' },
      /^O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS="-1" is not an integer from 0 to 30000; using 2000$/,
      (c) => c.crashFlushTimeoutMillis,
      2_000,
    ],
    'OTEL_METRIC_EXPORT_INTERVAL=-5': [{ OTEL_METRIC_EXPORT_INTERVAL: '-5' }, /^OTEL_METRIC_EXPORT_INTERVAL="-5" is not an integer from 100 to 86400000; using 60000$/, (c) => c.metrics.exportIntervalMillis, 60_000],
  };

  test.each(Object.entries(bad))('%s gives one diagnostic and the default', (_name, [variables, diagnostic, check, fallback]) => {
    const { config, diagnostics } = parseConfig(variables);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(diagnostic);
    expect(check(config)).toEqual(fallback);
  });

  test('a malformed OTEL_EXPORTER_OTLP_HEADERS entry is reported without echoing any value', () => {
    const { config, diagnostics } = parseConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr3t,garbage' });
    expect(config.traces.otlp.headers).toEqual({ 'api-key': 's3cr3t' });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).not.toContain('s3cr3t');
  });
});

describe('describeConfig', () => {
  test('names header keys but never their values, nor URL credentials', () => {
    const { config } = parseConfig({
      OTEL_SERVICE_NAME: 'shop',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20topsecret',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:hunter2@collector.example:4318',
    });
    const line = describeConfig(config);
    expect(line).toContain('service.name=shop');
    expect(line).toContain('authorization:[redacted]');
    expect(line).not.toContain('topsecret');
    expect(line).not.toContain('hunter2');
    expect(line.split('\n')).toHaveLength(1);
  });
});
