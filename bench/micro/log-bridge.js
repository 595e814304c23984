'use strict';
/**
 * Cost per log line: the shop's house logger (createLogger) writing an info
 * line with four fields, stdout sent to /dev/null by the harness. Run with the
 * preload (trace context, redaction, OTLP export of each record) and without;
 * the difference is the bridge's cost. Prints one JSON line.
 */
const { performance } = require('node:perf_hooks');
const { createLogger } = require('@o4o/otel');
const { setting } = require('../defaults');

const logger = createLogger({ service: 'bench', environment: 'bench' });

function logLine(i) {
  logger.info('order confirmed', { orderId: i, amount: 12000, paymentMethod: 'card', userId: 7 });
}

const seconds = setting('BENCH_MICRO_SECONDS');
for (let i = 0; i < 5000; i++) logLine(i);
let n = 0;
const start = performance.now();
const end = start + seconds * 1000;
// Batches with a macrotask between them, so the batch processor can export as
// it would in a service, rather than only queueing and dropping.
function batch() {
  for (let k = 0; k < 200; k++) logLine(n++);
  if (performance.now() < end) setImmediate(batch);
  else {
    const elapsed = performance.now() - start;
    process.stderr.write(`${JSON.stringify({ ops: n, nsPerOp: (elapsed * 1e6) / n, opsPerSec: n / (elapsed / 1000) })}\n`);
    setTimeout(() => process.exit(0), 100);
  }
}
batch();
