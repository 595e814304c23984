'use strict';
/**
 * The shop benchmark: variants (a) none, (b) @o4o/otel, (c) upstream
 * auto-instrumentations, (d) prom-client + express-prom-bundle, (e) dd-trace,
 * (f) @o4o/otel at 10 % head sampling, (g) the bare SDK floor, (h) @o4o/otel with
 * --experimental-async-context-frame (lib/variants.js),
 * in interleaved rounds (a b c ... a b c ...), a fresh process per variant and round,
 * on each Node.js release of BENCH_NODES (lib/nodes.js): within a round, every
 * release's variants in turn, each against (a) on the same release in that round.
 *
 * Per process: time from spawn to the first 200 from GET /ping; then per
 * workload a warm-up, a closed loop (autocannon: req/s, CPU time per request
 * from /proc), and an open loop at half of (a)'s req/s in the same round (p99);
 * then VmRSS; then SIGTERM, and for (b) and (c) the spans and log records the
 * collector accepted against what the requests should have produced.
 *
 * Environment: BENCH_ROUNDS, BENCH_SECONDS (per measurement), BENCH_WARMUP_SECONDS,
 * BENCH_VARIANTS, BENCH_NODES, BENCH_NODE22_VARIANTS, defaults in defaults.js.
 * Writes .bench/shop-node<major>.json per release.
 */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { cpuSeconds, rssMiB, spawnLogged, waitFor200, sleep, stop, runJson, httpStatus } = require('./lib/proc');
const { startCollector, receiverCounts } = require('./lib/collector');
const { startDatadogSink } = require('./lib/dd-sink');
const { variants, WORKLOADS, APP, BENCH } = require('./lib/variants');
const { summary } = require('./lib/stats');
const { benchNodes } = require('./lib/nodes');
const { PAYMENT_PORT, SETTINGS, SHOP_PORT, setting } = require('./defaults');

const ROUNDS = setting('BENCH_ROUNDS');
const SECONDS = setting('BENCH_SECONDS');
const WARMUP = setting('BENCH_WARMUP_SECONDS');
const WORK = path.resolve(BENCH, '..', '.bench');
const ONLY = setting('BENCH_VARIANTS');
const APP_CPUS = '0';
const LOAD_CPUS = '1';
const BASE = `http://127.0.0.1:${SHOP_PORT}`;
const CONNECTIONS = 10;
/** The open loop's fixed rate: half of the baseline's closed-loop req/s, at least 50. */
const openRate = (rps) => Math.max(50, Math.round(rps / 2));

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function appEnv(variant) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(SHOP_PORT),
    HOST: '127.0.0.1',
    SQLITE_PATH: ':memory:',
    PAYMENT_PROVIDER_URL: `http://127.0.0.1:${PAYMENT_PORT}`,
    ...variant.env,
  };
}

/**
 * The variants to run on a release: those of BENCH_VARIANTS that make sense there
 * (variant.runsOn), narrowed by BENCH_NODE<major>_VARIANTS where that setting exists.
 */
function variantsOn(node, all) {
  const narrowed = Object.hasOwn(SETTINGS, `BENCH_NODE${node.major}_VARIANTS`) ? setting(`BENCH_NODE${node.major}_VARIANTS`) : undefined;
  const chosen = all.filter((v) => ONLY.includes(v.key) && (narrowed === undefined || narrowed.includes(v.key)) && (v.runsOn?.(node.major) ?? true));
  if (!chosen.some((v) => v.key === 'a')) throw new Error(`bench: (a) must run on Node ${node.major} for the ratios (BENCH_VARIANTS, BENCH_NODE${node.major}_VARIANTS)`);
  return chosen;
}

async function startShop(variant, node, extraEnv = {}) {
  if ((await httpStatus(`${BASE}/ping`, 300)) !== 0) throw new Error(`port ${SHOP_PORT} is taken`);
  const since = performance.now();
  const child = spawnLogged({
    command: node.binary,
    args: [...variant.nodeArgs, APP],
    cpus: APP_CPUS,
    cwd: BENCH,
    env: { ...appEnv(variant), ...extraEnv },
    logFile: path.join(WORK, `shop-node${node.major}-${variant.name}.log`),
  });
  const startupMs = await waitFor200(`${BASE}/ping`, { child, sinceMs: since });
  return { child, startupMs };
}

function load(mode, workload, options) {
  return runJson({
    script: path.join(BENCH, 'load.js'),
    args: [mode, JSON.stringify({ url: BASE + workload.path, method: workload.method, body: workload.body, ...options })],
    cpus: LOAD_CPUS,
  });
}

/**
 * Spans and log records one request of each workload produces under a
 * variant, counted at the collector: 20 requests one at a time from a process
 * with short batch delays, so the expected totals of the measured runs are known.
 */
async function calibrate(variant, node) {
  const { child } = await startShop(variant, node, { OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BLRP_SCHEDULE_DELAY: '100' });
  const perRequest = {};
  await sleep(1500);
  for (const workload of WORKLOADS) {
    const before = await receiverCounts();
    await load('open', workload, { rate: 20, seconds: 1 });
    await sleep(1500);
    const after = await receiverCounts();
    perRequest[workload.key] = { spans: (after.spans - before.spans) / 20, logs: (after.logs - before.logs) / 20 };
  }
  await stop(child);
  log(`calibrated ${variant.label} on Node ${node.version}: ${JSON.stringify(perRequest)}`);
  return perRequest;
}

async function measureProcess(variant, node, rates, perRequest, datadog) {
  const countsBefore = variant.exports ? await receiverCounts() : undefined;
  const tracesBefore = variant.datadog ? datadog.counts.traces : 0;
  const { child, startupMs } = await startShop(variant, node);
  const pid = child.pid;
  const result = { startupMs, workloads: {} };
  let sent = 1; // the /ping that answered the startup poll
  const sentBy = { trivial: 1, read: 0, order: 0 };
  for (const workload of WORKLOADS) {
    const warm = await load('closed', workload, { connections: CONNECTIONS, seconds: WARMUP });
    const cpu0 = cpuSeconds(pid);
    const closed = await load('closed', workload, { connections: CONNECTIONS, seconds: SECONDS });
    const cpu1 = cpuSeconds(pid);
    const rate = rates[workload.key] ?? openRate(closed.rps);
    const open = await load('open', workload, { rate, seconds: SECONDS });
    const requests = warm.requests + closed.requests + open.requests;
    sent += requests;
    sentBy[workload.key] += requests;
    result.workloads[workload.key] = {
      rps: closed.rps,
      non2xx: closed.non2xx + closed.errors + (open.requests - open.ok),
      cpuMsPerRequest: ((cpu1 - cpu0) * 1000) / closed.requests,
      rate,
      p99Ms: open.p99Ms,
      p50Ms: open.p50Ms,
    };
  }
  result.rssMiB = rssMiB(pid);
  await stop(child);
  if (variant.exports) {
    await sleep(2000); // the collector counts a request once its export has been answered
    const after = await receiverCounts();
    const expectedSpans = WORKLOADS.reduce((n, w) => n + sentBy[w.key] * perRequest[w.key].spans, 0);
    // Log lines are what the shop writes (one at startup, 2 per order), not what calibration saw
    // arrive: a variant that bridges none must show it.
    const expectedLogs = variant.sendsLogs === false ? 0 : 1 + WORKLOADS.reduce((n, w) => n + sentBy[w.key] * w.logLines, 0); // + 'shop listening'
    result.export = {
      requests: sent,
      spans: after.spans - countsBefore.spans,
      expectedSpans,
      logs: after.logs - countsBefore.logs,
      expectedLogs,
      refusedSpans: after.refusedSpans - countsBefore.refusedSpans,
    };
  }
  if (variant.datadog) {
    await sleep(2000);
    // One trace per request; the agent stand-in counts traces, not spans.
    result.export = { requests: sent, traces: datadog.counts.traces - tracesBefore, expectedTraces: sent };
  }
  return result;
}

/**
 * A round whose process died under it (another tenant of the machine may stop
 * stray processes) is run again, at most twice, and says so; figures from a
 * process that did not live through its round are never kept.
 */
async function withRetry(measure, label) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await measure();
    } catch (error) {
      if (attempt >= 3) throw error;
      log(`  ${label}: ${error.message}; running this round again`);
      await sleep(1000);
    }
  }
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const nodes = benchNodes();
  const collector = await startCollector({ workDir: WORK, cpus: LOAD_CPUS });
  const payment = spawnLogged({
    command: process.execPath,
    args: [require.resolve('@o4o/example-shop-api/dist/payment-provider.js')],
    cpus: LOAD_CPUS,
    env: { PATH: process.env.PATH, PAYMENT_PROVIDER_PORT: String(PAYMENT_PORT), PAYMENT_LATENCY_MS: '0', PAYMENT_FAILURE_RATE: '0' },
    logFile: path.join(WORK, 'payment-provider.log'),
  });
  let datadog;
  const plans = [];
  try {
    datadog = ONLY.includes('e') ? await startDatadogSink() : undefined;
    for (const node of nodes) {
      const all = variantsOn(node, variants(collector.otlpEndpoint, datadog?.url));
      plans.push({ node, all, runs: Object.fromEntries(all.map((v) => [v.key, []])), calibration: {} });
      log(`shop on Node ${node.version}: variants ${all.map((v) => v.key).join(' ')}`);
    }
    log(`shop: ${ROUNDS} rounds, ${SECONDS} s per measurement after ${WARMUP} s warm-up, ${CONNECTIONS} connections`);
    await waitFor200(`http://127.0.0.1:${PAYMENT_PORT}/health`, { child: payment, sinceMs: performance.now() });
    for (const plan of plans) for (const variant of plan.all.filter((v) => v.exports)) plan.calibration[variant.key] = await calibrate(variant, plan.node);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const { node, all, runs, calibration } of plans) {
        const rates = {};
        for (const variant of all) {
          log(`round ${round}/${ROUNDS}, Node ${node.version}: ${variant.label}`);
          const run = await withRetry(() => measureProcess(variant, node, rates, calibration[variant.key], datadog), variant.label);
          runs[variant.key].push(run);
          // Fixed rate for the other variants: half of the baseline's maximum in this round, on this Node.
          if (variant.key === 'a') for (const w of WORKLOADS) rates[w.key] = openRate(run.workloads[w.key].rps);
          log(
            `  startup ${run.startupMs.toFixed(0)} ms, rss ${run.rssMiB.toFixed(1)} MiB; ` +
              WORKLOADS.map((w) => `${w.key} ${run.workloads[w.key].rps.toFixed(0)} req/s p99@${run.workloads[w.key].rate} ${run.workloads[w.key].p99Ms.toFixed(2)} ms`).join('; ') +
              (run.export?.expectedSpans !== undefined ? `; spans ${run.export.spans}/${run.export.expectedSpans} logs ${run.export.logs}/${run.export.expectedLogs}` : '') +
              (run.export?.expectedTraces !== undefined ? `; traces ${run.export.traces}/${run.export.expectedTraces}` : ''),
          );
        }
      }
    }
  } finally {
    await stop(payment);
    await collector.stop();
    await datadog?.stop();
  }
  const when = new Date().toISOString();
  for (const { node, all, runs, calibration } of plans) {
    const result = {
      when,
      node: node.version,
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      collector: collector.version,
      calibration,
      variants: all.map((v) => ({ key: v.key, label: v.label })),
      workloads: WORKLOADS.map((w) => ({ key: w.key, label: w.label })),
      runs,
      summary: summarize(all, runs),
    };
    const out = path.join(WORK, `shop-node${node.major}.json`);
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    log(`wrote ${out}`);
  }
}

/** Ratios to (a) per round (rounds pair up), then median and min-max over rounds. */
function summarize(all, runs) {
  const base = runs.a;
  const out = {};
  for (const v of all) {
    const rs = runs[v.key];
    const ratio = (get) => summary(rs.map((r, i) => (base?.[i] ? get(r) / get(base[i]) : NaN)));
    const diff = (get) => summary(rs.map((r, i) => (base?.[i] ? get(r) - get(base[i]) : NaN)));
    const entry = {
      startupMs: summary(rs.map((r) => r.startupMs)),
      startupAddedMs: diff((r) => r.startupMs),
      rssMiB: summary(rs.map((r) => r.rssMiB)),
      rssAddedMiB: diff((r) => r.rssMiB),
      workloads: {},
    };
    for (const w of WORKLOADS) {
      const at = (r) => r.workloads[w.key];
      entry.workloads[w.key] = {
        rps: summary(rs.map((r) => at(r).rps)),
        rpsRatio: ratio((r) => at(r).rps),
        p99Ms: summary(rs.map((r) => at(r).p99Ms)),
        p99Ratio: ratio((r) => at(r).p99Ms),
        cpuMsPerRequest: summary(rs.map((r) => at(r).cpuMsPerRequest)),
        cpuRatio: ratio((r) => at(r).cpuMsPerRequest),
        non2xx: rs.reduce((n, r) => n + at(r).non2xx, 0),
      };
    }
    if (v.datadog) {
      entry.exportedTraces = {
        traces: rs.reduce((n, r) => n + r.export.traces, 0),
        expectedTraces: rs.reduce((n, r) => n + r.export.expectedTraces, 0),
      };
    }
    if (v.exports) {
      entry.exported = {
        spans: rs.reduce((n, r) => n + r.export.spans, 0),
        expectedSpans: rs.reduce((n, r) => n + r.export.expectedSpans, 0),
        logs: rs.reduce((n, r) => n + r.export.logs, 0),
        expectedLogs: rs.reduce((n, r) => n + r.export.expectedLogs, 0),
        requests: rs.reduce((n, r) => n + r.export.requests, 0),
      };
    }
    out[v.key] = entry;
  }
  return out;
}

main().catch((error) => {
  log(error.stack);
  process.exit(1);
});
