'use strict';
/**
 * Collector throughput through our config (base.yaml + local.yaml, backends
 * absent so exporters queue): contrib's telemetrygen sends spans, then log
 * records, over OTLP/HTTP as fast as it can. The collector is pinned to one
 * core and telemetrygen to the other; figures are per CPU-second the collector
 * used (/proc), with its RSS sampled every 250 ms against the memory limiter
 * (local.yaml: limit 512 MiB, spike 128 MiB). Writes .bench/collector.json.
 *
 * Environment: TELEMETRYGEN (default $O4O_CACHE/go/bin/telemetrygen), BENCH_COLLECTOR_SECONDS (default in defaults.js).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { cpuSeconds, rssMiB, sleep } = require('./lib/proc');
const { startCollector, receiverCounts, PORTS } = require('./lib/collector');
const { setting } = require('./defaults');

const WORK = path.resolve(__dirname, '..', '.bench');
const CACHE = process.env.O4O_CACHE ?? path.join(os.homedir(), '.cache', 'o4o');
const TELEMETRYGEN = process.env.TELEMETRYGEN ?? path.join(CACHE, 'go', 'bin', 'telemetrygen');
const SECONDS = setting('BENCH_COLLECTOR_SECONDS');

function telemetrygen(signal) {
  const args = [signal, '--otlp-http', '--otlp-insecure', '--otlp-endpoint', `127.0.0.1:${PORTS.otlpHttp}`, '--rate', '0', '--workers', '4', '--duration', `${SECONDS}s`];
  if (signal === 'traces') args.push('--child-spans', '4');
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '0', TELEMETRYGEN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-2000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`telemetrygen ${signal} exited ${code}: ${err}`))));
  });
}

async function measure(collector, signal) {
  const pid = collector.child.pid;
  const before = await receiverCounts();
  const cpu0 = cpuSeconds(pid);
  let peak = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, rssMiB(pid));
      await sleep(250);
    }
  })();
  await telemetrygen(signal);
  done = true;
  await sampler;
  const cpu = cpuSeconds(pid) - cpu0;
  await sleep(500);
  const after = await receiverCounts();
  const key = signal === 'traces' ? 'spans' : 'logs';
  const refused = signal === 'traces' ? after.refusedSpans - before.refusedSpans : after.refusedLogs - before.refusedLogs;
  const accepted = after[key] - before[key];
  const result = { accepted, refused, collectorCpuSeconds: cpu, perSecond: accepted / SECONDS, perCoreSecond: accepted / cpu, peakRssMiB: peak };
  process.stderr.write(`bench: collector ${signal}: ${Math.round(result.perCoreSecond)} per core-second, ${Math.round(result.perSecond)}/s, refused ${refused}, peak RSS ${peak.toFixed(0)} MiB\n`);
  return result;
}

async function main() {
  if (!fs.existsSync(TELEMETRYGEN)) throw new Error(`telemetrygen not found at ${TELEMETRYGEN}: run bench/run.sh, which installs it`);
  fs.mkdirSync(WORK, { recursive: true });
  const collector = await startCollector({ workDir: WORK, cpus: '1' });
  const result = { seconds: SECONDS, version: collector.version };
  try {
    result.idleRssMiB = rssMiB(collector.child.pid);
    result.traces = await measure(collector, 'traces');
    result.logs = await measure(collector, 'logs');
  } finally {
    await collector.stop();
  }
  fs.writeFileSync(path.join(WORK, 'collector.json'), JSON.stringify(result, null, 2));
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack}\n`);
  process.exit(1);
});
