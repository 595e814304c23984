'use strict';
/**
 * Where (b)'s time goes, by configuration rather than by profiler: CPU per
 * request of the shop under @o4o/otel with one instrumentation at a time, with
 * sampling or export off, against no preload. Exporters point at a closed port
 * (export failures are cheap and bounded), so no collector is needed.
 * Not part of run.sh; prints a table and writes .bench/attribution.json.
 *
 *   node bench/attribution.js        BENCH_ATTR_SECONDS, BENCH_ATTR_ROUNDS (defaults in defaults.js)
 */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { cpuSeconds, spawnLogged, waitFor200, stop, runJson } = require('./lib/proc');
const { APP, BENCH } = require('./lib/variants');
const { summary } = require('./lib/stats');
const { SHOP_PORT, setting } = require('./defaults');

const WORK = path.resolve(BENCH, '..', '.bench');
const SECONDS = setting('BENCH_ATTR_SECONDS');
const ROUNDS = setting('BENCH_ATTR_ROUNDS');
const PRELOAD = ['--require', '@o4o/otel/register'];

const CONFIGS = [
  { name: 'no preload', nodeArgs: [], env: {} },
  { name: 'preload, no instrumentation', nodeArgs: PRELOAD, env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'none' } },
  ...['http', 'express', 'typeorm', 'winston', 'runtime-node', 'undici'].map((name) => ({ name: `only ${name}`, nodeArgs: PRELOAD, env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: name } })),
  { name: 'all, traces not sampled', nodeArgs: PRELOAD, env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  { name: 'all, no exporters', nodeArgs: PRELOAD, env: { OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' } },
  { name: 'all (as shipped)', nodeArgs: PRELOAD, env: {} },
];
const ROUTES = ['/ping', '/products'];

async function measure(config, route) {
  const since = performance.now();
  const child = spawnLogged({
    command: process.execPath,
    args: [...config.nodeArgs, APP],
    cpus: '0',
    cwd: BENCH,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(SHOP_PORT), OTEL_LOG_LEVEL: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_PROMETHEUS_PORT: '27764', ...config.env },
    logFile: path.join(WORK, 'attribution.log'),
  });
  try {
    await waitFor200(`http://127.0.0.1:${SHOP_PORT}/ping`, { child, sinceMs: since });
    const load = (seconds) => runJson({ script: path.join(BENCH, 'load.js'), args: ['closed', JSON.stringify({ url: `http://127.0.0.1:${SHOP_PORT}${route}`, seconds, connections: 10 })], cpus: '1' });
    await load(1);
    const cpu0 = cpuSeconds(child.pid);
    const result = await load(SECONDS);
    return ((cpuSeconds(child.pid) - cpu0) * 1e6) / result.requests;
  } finally {
    await stop(child);
  }
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const samples = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const config of CONFIGS) {
      for (const route of ROUTES) {
        const key = `${config.name} ${route}`;
        (samples[key] ??= []).push(await measure(config, route));
      }
    }
  }
  const lines = ['| configuration | ' + ROUTES.map((r) => `${r} µs CPU/request (added)`).join(' | ') + ' |', '| --- | --- | --- |'];
  const base = Object.fromEntries(ROUTES.map((r) => [r, summary(samples[`no preload ${r}`]).median]));
  for (const config of CONFIGS) {
    const cells = ROUTES.map((r) => {
      const s = summary(samples[`${config.name} ${r}`]);
      return `${s.median.toFixed(0)} (+${(s.median - base[r]).toFixed(0)})`;
    });
    lines.push(`| ${config.name} | ${cells.join(' | ')} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(WORK, 'attribution.json'), JSON.stringify(samples, null, 2));
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack}\n`);
  process.exit(1);
});
