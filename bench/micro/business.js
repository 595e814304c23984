'use strict';
/**
 * Cost per recorded order: one checkout's business calls as the shop makes
 * them (recordCheckoutStarted, recordPaymentResult, recordOrderPlaced with
 * amount and order id), timed in a loop. Run with and without the preload;
 * prints one JSON line.
 */
const { performance } = require('node:perf_hooks');
const otel = require('@o4o/otel');
const { setting } = require('../defaults');

const ROLES = ['customer', 'business', 'affiliate'];

function recordOrder(i) {
  const userRole = ROLES[i % ROLES.length];
  otel.recordCheckoutStarted({ userRole });
  otel.recordPaymentResult({ method: 'card', outcome: 'succeeded' });
  otel.recordOrderPlaced({ status: 'confirmed', userRole, amount: 12000 + (i % 500) * 100, currency: 'KRW', orderId: i });
}

function timeLoop(fn, seconds) {
  for (let i = 0; i < 20000; i++) fn(i); // warm-up: JIT and every series created
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) fn(n++);
  }
  const elapsed = performance.now() - start;
  return { ops: n, nsPerOp: (elapsed * 1e6) / n, opsPerSec: n / (elapsed / 1000) };
}

const result = timeLoop(recordOrder, setting('BENCH_MICRO_SECONDS'));
process.stderr.write(`${JSON.stringify(result)}\n`);
setTimeout(() => process.exit(0), 100);
