'use strict';
/**
 * The benchmarks' settings and their defaults, by environment variable: the
 * one place a default is written. Every script reads its settings with
 * setting(); run.sh passes none of them on, so what a script runs with is
 * the environment's value or this table's. `bash bench/run.sh --help` (or
 * `node bench/defaults.js`) prints the table; bench/README.md lists it.
 */
const SETTINGS = Object.freeze({
  BENCH_ROUNDS: [5, 'interleaved rounds of the shop benchmark'],
  BENCH_SECONDS: [4, 'seconds per shop measurement (closed loop, then fixed rate)'],
  BENCH_WARMUP_SECONDS: [1, 'warm-up per shop workload, not measured'],
  BENCH_VARIANTS: ['abcdefgh', 'which shop variants to run (a must stay for the ratios)'],
  BENCH_NODES: ['22,26', 'Node.js releases the shop runs on, one table each (the toolchain installs 22 and 26)'],
  BENCH_NODE22_VARIANTS: ['abgh', 'which of BENCH_VARIANTS run on Node 22 too; the other tools are compared on 26'],
  BENCH_MICRO_SECONDS: [3, 'per micro-benchmark'],
  BENCH_REDACTION_CALLS: [20, 'calls per input of the redaction micro-benchmark'],
  BENCH_DEAD_SEGMENTS: [6, 'segments with the collector up'],
  BENCH_DEAD_ABSENT_SEGMENTS: [12, 'segments with the collector absent'],
  BENCH_DEAD_SEGMENT_SECONDS: [10, 'seconds per segment'],
  BENCH_DEAD_RATE: [600, 'requests per second during the segments'],
  BENCH_COLLECTOR_SECONDS: [10, 'per telemetrygen signal'],
  BENCH_ATTR_SECONDS: [4, 'per measurement of attribution.js (not part of run.sh)'],
  BENCH_ATTR_ROUNDS: [2, 'rounds of attribution.js'],
  BENCH_GATEWAY_SECONDS: [20, 'per throughput run of collector-gateway.sh (not part of run.sh)'],
  BENCH_GATEWAY_WORKERS: [32, 'telemetrygen workers of those runs'],
  BENCH_OUTAGE_RATE: [1000, 'spans per second of collector-gateway.sh during the backend outage'],
  BENCH_OUTAGE_SECONDS: [60, 'length of that outage'],
});

/** The port the shop under test listens on, in every script that starts it. */
const SHOP_PORT = 27730;
/** The shop's payment provider stand-in. */
const PAYMENT_PORT = 27731;

/** The value of a setting: the environment's when set and not empty, else the default; numbers must be positive. */
function setting(name, env = process.env) {
  if (!Object.hasOwn(SETTINGS, name)) throw new Error(`bench: ${name} is not a benchmark setting (bench/defaults.js)`);
  const [fallback] = SETTINGS[name];
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (typeof fallback === 'string') return value;
  const number = Number(value);
  if (!(number > 0)) throw new Error(`bench: ${name}=${value} is not a positive number`);
  return number;
}

module.exports = { SETTINGS, SHOP_PORT, PAYMENT_PORT, setting };

if (require.main === module) {
  const width = Math.max(...Object.keys(SETTINGS).map((name) => name.length));
  for (const [name, [fallback, meaning]] of Object.entries(SETTINGS)) console.log(`  ${name.padEnd(width)}  ${String(fallback).padEnd(9)}${meaning}`);
}
