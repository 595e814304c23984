'use strict';
/**
 * Where (b)'s time goes, by configuration rather than by profiler: CPU per
 * request of the shop under @o4o/otel with one instrumentation at a time, with
 * sampling or export off, against no preload. Exporters point at a closed port
 * (export failures are cheap and bounded), so no collector is needed; the
 * payment provider runs for POST /orders.
 *
 * The ruler rows run no telemetry: a preload that spins a known number of
 * microseconds as each request starts (variants/busy-work.js). They show what
 * a fixed cost per request comes to here, in CPU per request (more than the
 * spin: a slower server also pays more per request in the kernel) and in
 * throughput against no preload, so a configuration's row reads as so many
 * microseconds of plain work.
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
const { PAYMENT_PORT, SHOP_PORT, setting } = require('./defaults');

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
  ...[5, 10, 20].map((micros) => ({ name: `ruler: ${micros} µs of busy work per request, no telemetry`, nodeArgs: ['--require', path.join(BENCH, 'variants', 'busy-work.js')], env: { BENCH_BUSY_MICROS: String(micros) } })),
];
const ORDER = JSON.stringify({ userId: 1, items: [{ productId: 1, quantity: 1 }], paymentMethod: 'card' });
const ROUTES = [
  { path: '/ping', method: 'GET' },
  { path: '/products', method: 'GET' },
  { path: '/orders', method: 'POST', body: ORDER },
];

async function measure(config, route) {
  const since = performance.now();
  const child = spawnLogged({
    command: process.execPath,
    args: [...config.nodeArgs, APP],
    cpus: '0',
    cwd: BENCH,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(SHOP_PORT), PAYMENT_PROVIDER_URL: `http://127.0.0.1:${PAYMENT_PORT}`, OTEL_LOG_LEVEL: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_PROMETHEUS_PORT: '27764', ...config.env },
    logFile: path.join(WORK, 'attribution.log'),
  });
  try {
    await waitFor200(`http://127.0.0.1:${SHOP_PORT}/ping`, { child, sinceMs: since });
    const load = (seconds) =>
      runJson({ script: path.join(BENCH, 'load.js'), args: ['closed', JSON.stringify({ url: `http://127.0.0.1:${SHOP_PORT}${route.path}`, method: route.method, body: route.body, seconds, connections: 10 })], cpus: '1' });
    await load(1);
    const cpu0 = cpuSeconds(child.pid);
    const result = await load(SECONDS);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${config.name}, ${route.method} ${route.path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return { cpuMicros: ((cpuSeconds(child.pid) - cpu0) * 1e6) / result.requests, rps: result.requests / result.seconds };
  } finally {
    await stop(child);
  }
}

/** Median over rounds of a configuration's figure against no preload's in the same round. */
function perRound(samples, name, route, figure) {
  const own = samples[`${name} ${route.path}`];
  const base = samples[`no preload ${route.path}`];
  return summary(own.map((sample, round) => figure(sample, base[round]))).median;
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const payment = spawnLogged({
    command: process.execPath,
    args: [require.resolve('@o4o/example-shop-api/dist/payment-provider.js')],
    cpus: '1',
    env: { PATH: process.env.PATH, PAYMENT_PROVIDER_PORT: String(PAYMENT_PORT), PAYMENT_LATENCY_MS: '0', PAYMENT_FAILURE_RATE: '0' },
    logFile: path.join(WORK, 'attribution-payment-provider.log'),
  });
  const samples = {};
  try {
    await waitFor200(`http://127.0.0.1:${PAYMENT_PORT}/health`, { child: payment, sinceMs: performance.now() });
    for (let round = 0; round < ROUNDS; round++) {
      for (const config of CONFIGS) {
        for (const route of ROUTES) (samples[`${config.name} ${route.path}`] ??= []).push(await measure(config, route));
      }
    }
  } finally {
    await stop(payment);
  }
  const header = ROUTES.map((r) => `${r.method} ${r.path}: µs CPU/request (added), req/s ratio`);
  const lines = [`Node ${process.version}, ${ROUNDS} rounds × ${SECONDS} s, medians of per-round figures against no preload in the same round.`, '', `| configuration | ${header.join(' | ')} |`, `| --- |${' --- |'.repeat(ROUTES.length)}`];
  for (const config of CONFIGS) {
    const cells = ROUTES.map((route) => {
      const cpu = perRound(samples, config.name, route, (own) => own.cpuMicros);
      const added = perRound(samples, config.name, route, (own, base) => own.cpuMicros - base.cpuMicros);
      const ratio = perRound(samples, config.name, route, (own, base) => own.rps / base.rps);
      return `${cpu.toFixed(0)} (${added >= 0 ? '+' : ''}${added.toFixed(0)}), ×${ratio.toFixed(2)}`;
    });
    lines.push(`| ${config.name} | ${cells.join(' | ')} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(WORK, 'attribution.json'), JSON.stringify({ node: process.version, samples }, null, 2));
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack}\n`);
  process.exit(1);
});
