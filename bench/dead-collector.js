'use strict';
/**
 * Variant (b) with its collector absent (OTEL_EXPORTER_OTLP_ENDPOINT on a
 * closed port) against the same with the benchmark collector up: sustained
 * fixed-rate load on GET /products, RSS and p99 after each segment. Issue 2's
 * promise: a slow or absent collector leaves latency and memory bounded.
 * Writes .bench/dead-collector.json.
 *
 * The absent run is longer (BENCH_DEAD_ABSENT_SEGMENTS): its memory climbs while
 * export attempts back up, and only a plateau shows that it is bounded.
 *
 * Environment: BENCH_DEAD_SEGMENTS, BENCH_DEAD_ABSENT_SEGMENTS, BENCH_DEAD_SEGMENT_SECONDS, BENCH_DEAD_RATE
 * (defaults in defaults.js), BENCH_DEAD_ONLY=absent to skip the run with the collector up (for long soaks).
 */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { rssMiB, spawnLogged, waitFor200, stop, runJson } = require('./lib/proc');
const { startCollector } = require('./lib/collector');
const { variants, APP, BENCH } = require('./lib/variants');
const { SHOP_PORT, setting } = require('./defaults');

const WORK = path.resolve(BENCH, '..', '.bench');
const SEGMENTS = setting('BENCH_DEAD_SEGMENTS');
const ABSENT_SEGMENTS = setting('BENCH_DEAD_ABSENT_SEGMENTS');
const SECONDS = setting('BENCH_DEAD_SEGMENT_SECONDS');
const RATE = setting('BENCH_DEAD_RATE');

async function sustained(label, otlp, segmentCount) {
  const variant = variants(otlp).find((v) => v.key === 'b');
  const since = performance.now();
  const child = spawnLogged({
    command: process.execPath,
    args: [...variant.nodeArgs, APP],
    cpus: '0',
    cwd: BENCH,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(SHOP_PORT), ...variant.env },
    logFile: path.join(WORK, `dead-collector-${label}.log`),
  });
  await waitFor200(`http://127.0.0.1:${SHOP_PORT}/ping`, { child, sinceMs: since });
  const segments = [];
  for (let i = 0; i < segmentCount; i++) {
    const open = await runJson({
      script: path.join(BENCH, 'load.js'),
      args: ['open', JSON.stringify({ url: `http://127.0.0.1:${SHOP_PORT}/products`, rate: RATE, seconds: SECONDS })],
      cpus: '1',
    });
    segments.push({ atSeconds: (i + 1) * SECONDS, rssMiB: rssMiB(child.pid), p99Ms: open.p99Ms, ok: open.ok, requests: open.requests });
    process.stderr.write(`bench: collector ${label}, ${(i + 1) * SECONDS} s: rss ${segments[i].rssMiB.toFixed(1)} MiB, p99 ${open.p99Ms.toFixed(2)} ms, ${open.ok}/${open.requests} ok\n`);
  }
  const stopStart = performance.now();
  await stop(child, 20000);
  return { segments, exitMs: performance.now() - stopStart };
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  let live;
  if (process.env.BENCH_DEAD_ONLY !== 'absent') {
    const collector = await startCollector({ workDir: WORK, cpus: '1' });
    try {
      live = await sustained('up', collector.otlpEndpoint, SEGMENTS);
    } finally {
      await collector.stop();
    }
  }
  // With the collector gone, its port is closed: the absent case below.
  const dead = await sustained('absent', 'http://127.0.0.1:9', ABSENT_SEGMENTS);
  const out = live ? 'dead-collector.json' : 'dead-collector-soak.json';
  fs.writeFileSync(path.join(WORK, out), JSON.stringify({ rate: RATE, segmentSeconds: SECONDS, live, dead }, null, 2));
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack}\n`);
  process.exit(1);
});
