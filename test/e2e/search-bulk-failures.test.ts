/**
 * A log record the search node refuses for its content (a mapping conflict)
 * is a failure the pipeline sees: the real collector counts it in
 * otelcol_exporter_send_failed_log_records, which TelemetryExportFailing
 * reads, and logs the node's reason; records after it are still delivered.
 *
 *   record 1  attributes.<key> = 42              stored: the field is mapped as long
 *   record 2  attributes.<key> = "not a number"  refused: mapper_parsing_exception
 *   record 3  no such attribute                  stored
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { counter, sum } from '@o4o/backends';
import { collector, countLogs, eventually } from '../src/backends';
import { STACK } from '../src/stack';
import { serviceLogFile } from '../src/stack-control';
import { logsRequest, postOtlpJson } from '../src/otlp-json';

const RUN = randomBytes(4).toString('hex');
const SERVICE = `search-bulk-failures-${RUN}`;
const KEY = `conflict_${RUN}`;

type AnyValue = { intValue: string } | { stringValue: string };

async function sendLog(body: string, attributes: Record<string, AnyValue>): Promise<void> {
  const record = {
    timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
    severityNumber: 9,
    body: { stringValue: body },
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
  };
  expect(await postOtlpJson(STACK.collectorOtlpHttp, 'logs', logsRequest(SERVICE, [record]))).toBe(200);
}

/** otelcol_exporter_send_failed_log_records of search_bulk/logs, summed over its error labels. */
async function sendFailed(): Promise<number> {
  return sum(counter(await collector.metrics(), 'otelcol_exporter_send_failed_log_records').filter((s) => s.labels.exporter === 'search_bulk/logs'));
}

const serviceLogs = (): Record<string, unknown> => ({ term: { 'resource.attributes.service.name.keyword': SERVICE } });

test('a mapping conflict counts as a failed export, is logged with its reason, and does not block later records', async () => {
  await sendLog('typed as a number', { [KEY]: { intValue: '42' } });
  await eventually(() => countLogs(serviceLogs()), (n) => n === 1, `the first ${SERVICE} record in the search node`);
  const failedBefore = await sendFailed();
  const logBefore = readFileSync(serviceLogFile('collector'), 'utf8').length;

  await sendLog('typed as a string', { [KEY]: { stringValue: 'not a number' } });
  // Grows by the size of the batch that held the refused record (exporterhelper
  // counts a failed request whole): 1 here, unless another record shared it.
  await eventually(sendFailed, (n) => n > failedBefore, 'otelcol_exporter_send_failed_log_records to grow');

  const logged = readFileSync(serviceLogFile('collector'), 'utf8').slice(logBefore);
  expect(logged).toMatch(/search node rejected log records/);
  expect(logged).toMatch(/400 mapper_parsing_exception/);

  await sendLog('after the conflict', {});
  await eventually(() => countLogs(serviceLogs()), (n) => n === 2, `the third ${SERVICE} record in the search node`);
}, 120_000);
