'use strict';
/**
 * Worst time per log call for adversarial values: strings of 64 KB and 1 MB
 * built against the redactor's scans (the e-mail, card, credential and
 * `name=value` passes) and a graph of shared references, each logged through
 * the house logger (redaction, then the OTLP bridge under the preload). Prints
 * one JSON line: per input and size, the worst and median milliseconds of a call.
 */
const { performance } = require('node:perf_hooks');
const { createLogger } = require('@o4o/otel');
const { setting } = require('../defaults');

const logger = createLogger({ service: 'bench', environment: 'bench' });
const CALLS = setting('BENCH_REDACTION_CALLS');

function sharedTower(levels) {
  let node = { password: 'p', leaf: true };
  for (let i = 0; i < levels; i += 1) node = { a: node, b: node, c: node, d: node };
  return node;
}

const PATTERNS = {
  'a.a.a.…@ (e-mail scan)': (n) => `${'a.'.repeat(n / 2)}@`,
  'a@a@a@… (e-mail scan)': (n) => 'a@'.repeat(n / 2),
  '1 1 1 … (card scan)': (n) => '1 '.repeat(n / 2),
  'token=token=… (pair scan)': (n) => 'token='.repeat(Math.floor(n / 6)),
  'Bearer Bearer … (credential scan)': (n) => 'Bearer '.repeat(Math.floor(n / 7)),
};

function time(fields) {
  const samples = [];
  for (let i = 0; i < CALLS; i += 1) {
    const start = performance.now();
    logger.info('search', fields);
    samples.push(performance.now() - start);
  }
  samples.sort((x, y) => x - y);
  return { worstMs: samples[samples.length - 1], medianMs: samples[Math.floor(samples.length / 2)] };
}

const results = [];
for (const size of [64 * 1024, 1024 * 1024]) {
  for (const [input, make] of Object.entries(PATTERNS)) results.push({ input, bytes: size, ...time({ q: make(size) }) });
}
results.push({ input: 'shared references, 4 keys x 14 levels', bytes: 0, ...time({ tower: sharedTower(14) }) });
process.stderr.write(`${JSON.stringify({ calls: CALLS, results })}\n`);
setTimeout(() => process.exit(0), 200);
