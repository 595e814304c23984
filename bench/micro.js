'use strict';
/**
 * Micro-benchmarks of the business API (cost per recorded order) and of the
 * log bridge (cost per log line), each with and without the preload, exporting
 * to the benchmark collector; the redactor on adversarial values; the span
 * encoder against the SDK's serializer; the hot histogram against the SDK's.
 * Writes .bench/micro.json.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startCollector, receiverCounts } = require('./lib/collector');
const { sleep } = require('./lib/proc');

const WORK = path.resolve(__dirname, '..', '.bench');

function run(script, preload, env) {
  return new Promise((resolve, reject) => {
    const args = ['-c', '0', process.execPath, ...(preload ? ['--require', '@o4o/otel/register'] : []), path.join(__dirname, 'micro', script)];
    const child = spawn('taskset', args, { cwd: __dirname, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      // The result is the last JSON line: the preload may still report its exit flush after it.
      const result = err
        .trim()
        .split('\n')
        .reverse()
        .map((line) => {
          try {
            return JSON.parse(line);
          } catch {
            return undefined;
          }
        })
        .find((value) => typeof value?.ops === 'number' || Array.isArray(value?.results));
      if (result) resolve(result);
      else reject(new Error(`${script} (exit ${code}) printed no result: ${err.slice(-400)}`));
    });
  });
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const collector = await startCollector({ workDir: WORK, cpus: '1' });
  const env = { OTEL_SERVICE_NAME: 'bench-micro', OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpEndpoint, OTEL_EXPORTER_PROMETHEUS_PORT: '27765' };
  const result = {};
  try {
    for (const [key, script] of [
      ['business', 'business.js'],
      ['logs', 'log-bridge.js'],
    ]) {
      const bare = await run(script, false, env);
      const before = await receiverCounts();
      const instrumented = await run(script, true, env);
      await sleep(1500);
      const after = await receiverCounts();
      result[key] = { bare, instrumented, addedNsPerOp: instrumented.nsPerOp - bare.nsPerOp };
      if (key === 'logs') result[key].exported = { records: after.logs - before.logs, lines: instrumented.ops + 5000 };
      process.stderr.write(`bench: ${key}: ${bare.nsPerOp.toFixed(0)} ns/op bare, ${instrumented.nsPerOp.toFixed(0)} ns/op under the preload\n`);
    }
    result.redaction = await run('redaction.js', true, env);
    result.spanEncoding = await run('span-encoding.js', false, env);
    result.spanPath = await run('span-path.js', false, env);
    for (const r of result.spanPath.results) process.stderr.write(`bench: span path: ${r.span} span, ${r.tracer} tracer: ${r.nsPerSpan.toFixed(0)} ns, ${r.bytesPerSpan.toFixed(0)} bytes\n`);
    result.hotHistogram = await run('hot-histogram.js', false, env);
    for (const r of result.hotHistogram.results) process.stderr.write(`bench: histogram record: ${r.histogram} ${r.nsPerRecord.toFixed(0)} ns\n`);
    for (const r of result.spanEncoding.results) process.stderr.write(`bench: span encoding: ${r.encoder} ${r.nsPerSpan.toFixed(0)} ns per span\n`);
    for (const r of result.redaction.results) process.stderr.write(`bench: redaction: ${r.input} ${r.bytes} B: worst ${r.worstMs.toFixed(2)} ms per call\n`);
  } finally {
    await collector.stop();
  }
  fs.writeFileSync(path.join(WORK, 'micro.json'), JSON.stringify(result, null, 2));
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack}\n`);
  process.exit(1);
});
