/** doctor's findings from recorded and edited expositions and target lists; each problem has a fix. */
import { parseExposition, readAddressBook, stackEndpoints } from '@o4o/backends';
import { collectorMetricChecks, serviceChecks, targetChecks } from '../src/commands/doctor-checks';
import { renderDoctor } from '../src/render/doctor';
import { recorded, recordedJson } from './helpers';

const collector = recorded('collector-metrics.txt');
/** The local stack's addresses, from its address book alone (no environment override). */
const STACK = stackEndpoints({});
const JAEGER_METRICS = `http://${STACK.host}:${readAddressBook({}).O4O_JAEGER_METRICS_PORT}/metrics`;

test('a healthy collector: receiving over OTLP, every exporter ok with its queue', () => {
  const results = collectorMetricChecks(parseExposition(collector));
  expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
  expect(results.find((r) => r.name === 'collector receiving')?.detail).toMatch(/^accepted over OTLP since start: spans=\d+ log_records=\d+ metric_points=\d+$/);
  expect(results.map((r) => r.name)).toEqual(expect.arrayContaining(['exporter otlp_grpc/jaeger', 'exporter search_bulk/logs', 'exporter prometheus_remote_write/prometheus']));
});

test('send failures name the exporter and the backend behind it', () => {
  const text = `${collector}\notelcol_exporter_send_failed_spans{exporter="otlp_grpc/jaeger"} 12\n`;
  const jaeger = collectorMetricChecks(parseExposition(text)).find((r) => r.name === 'exporter otlp_grpc/jaeger')!;
  expect(jaeger.status).toBe('problem');
  expect(jaeger.detail).toMatch(/^send failures since the collector started: spans=12; queue \d+\/5000$/);
  expect(jaeger.fix).toBe('make Jaeger reachable (see its check); the sending queue retries for up to 15 minutes');
});

test('a queue over 80% full is a problem', () => {
  const text = 'otelcol_exporter_queue_size{exporter="search_bulk/logs"} 4500\notelcol_exporter_queue_capacity{exporter="search_bulk/logs"} 5000\notelcol_receiver_accepted_log_records{receiver="otlp"} 1\n';
  expect(collectorMetricChecks(parseExposition(text)).find((r) => r.name === 'exporter search_bulk/logs')).toMatchObject({ status: 'problem', detail: 'sending queue is 90% full (4500/5000)' });
});

test('nothing received over OTLP (only the collector scraping itself) is a problem', () => {
  const text = 'otelcol_receiver_accepted_metric_points{receiver="host_metrics"} 400\notelcol_receiver_accepted_spans{receiver="otlp",transport="http"} 0\n';
  expect(collectorMetricChecks(parseExposition(text))[0]).toMatchObject({ name: 'collector receiving', status: 'problem', fix: expect.stringContaining(`OTEL_EXPORTER_OTLP_ENDPOINT=${STACK.collectorOtlpHttp} `) });
});

test('refused data is a problem', () => {
  const text = 'otelcol_receiver_accepted_spans{receiver="otlp"} 5\notelcol_receiver_refused_spans{receiver="otlp"} 2\n';
  expect(collectorMetricChecks(parseExposition(text))).toContainEqual(expect.objectContaining({ name: 'collector refused spans', status: 'problem' }));
});

test("the service's effective telemetry configuration comes from its target_info", () => {
  const { results, serviceName } = serviceChecks(parseExposition(recorded('service-metrics.txt')), undefined);
  expect(serviceName).toBe('cli-probe');
  expect(results).toEqual([{ name: 'service telemetry', status: 'ok', detail: expect.stringMatching(/^service\.name=cli-probe version=- distro=@o4o\/otel 0\.1\.0 sdk=opentelemetry/) }]);
});

test('a wrong or default service name, and an endpoint without target_info', () => {
  const samples = parseExposition(recorded('service-metrics.txt'));
  expect(serviceChecks(samples, 'shop-api').results[1]).toMatchObject({ name: 'service name', status: 'problem', fix: expect.stringContaining('OTEL_SERVICE_NAME=shop-api') });
  const unknown = parseExposition('target_info{service_name="unknown_service:node"} 1\n');
  expect(serviceChecks(unknown, undefined).results[1]).toMatchObject({ status: 'problem', detail: 'service.name is unknown_service:node' });
  expect(serviceChecks(parseExposition('up 1\n'), undefined).results[0]).toMatchObject({ status: 'problem', detail: expect.stringContaining('no target_info') });
});

test('Prometheus targets: all up, or each down target with its error', () => {
  type Targets = { data: { activeTargets: { labels: Record<string, string>; scrapeUrl: string; health: string; lastError: string }[] } };
  const raw = recordedJson<Targets>('prometheus-targets.json').data.activeTargets.map((t) => ({ job: t.labels.job!, scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError }));
  expect(targetChecks(raw)[0]).toMatchObject({ name: 'Prometheus targets', status: 'ok', detail: `${raw.length}/${raw.length} up` });
  const down = [...raw, { job: 'jaeger', scrapeUrl: JAEGER_METRICS, health: 'down', lastError: 'connection refused' }];
  expect(targetChecks(down)[1]).toEqual({
    name: 'target jaeger',
    status: 'problem',
    detail: `${JAEGER_METRICS} is down: connection refused`,
    fix: `start the jaeger process behind ${JAEGER_METRICS} (bash stack/start.sh starts the local stack)`,
  });
});

test('renderDoctor: one line per check, the fix under each problem, a count', () => {
  expect(
    renderDoctor([
      { name: 'collector health', status: 'ok', detail: 'Server available' },
      { name: 'Jaeger', status: 'problem', detail: `Jaeger at ${STACK.jaeger} is unreachable (connect ECONNREFUSED)`, fix: 'start it' },
      { name: 'service', status: 'skipped', detail: 'pass --service-metrics' },
    ]),
  ).toEqual([
    'ok    collector health  Server available',
    `FAIL  Jaeger            Jaeger at ${STACK.jaeger} is unreachable (connect ECONNREFUSED)`,
    '                        fix: start it',
    'skip  service           pass --service-metrics',
    '',
    '1 problem found.',
  ]);
});
