'use strict';
/**
 * A ruler for the attribution (bench/attribution.js), not an instrumentation:
 * spins for BENCH_BUSY_MICROS microseconds of CPU as each request starts (the
 * http diagnostics channel the preload's server spans start from) and does
 * nothing else. What a known fixed cost per request does to CPU per request
 * and to the throughput ratio on this machine, the same way a preload's cost would.
 */
const { subscribe } = require('node:diagnostics_channel');

const micros = Number(process.env.BENCH_BUSY_MICROS ?? 5);
subscribe('http.server.request.start', () => {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until);
});
