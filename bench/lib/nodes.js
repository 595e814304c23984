'use strict';
/**
 * The Node.js releases the shop runs on in the benchmark (BENCH_NODES), each the
 * toolchain's own binary (scripts/toolchain.sh installs 22 and 26): O4O_NODE<major>
 * when the toolchain was sourced, else the path scripts/with-node.sh reports, which
 * installs it first if needed. Only the app under test changes Node; the harness,
 * the load generator and the payment provider stay on the one running them.
 */
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { setting } = require('../defaults');

const REPO = path.resolve(__dirname, '..', '..');

/** Major versions from a list like "22,26", in the order given; anything else fails here. */
function parseNodeMajors(value) {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => !/^[1-9]\d*$/.test(item))) throw new Error(`bench: BENCH_NODES=${value} is not a comma-separated list of Node.js major versions, e.g. 22,26`);
  return [...new Set(items.map(Number))];
}

/** The binary and full version of the toolchain's Node.js `major`. */
function nodeRelease(major, env = process.env) {
  const binary =
    env[`O4O_NODE${major}`] ||
    execFileSync('bash', [path.join(REPO, 'scripts', 'with-node.sh'), String(major), 'node', '-p', 'process.execPath'], { stdio: ['ignore', 'pipe', 'inherit'] })
      .toString()
      .trim();
  const version = execFileSync(binary, ['-p', 'process.version']).toString().trim();
  if (!version.startsWith(`v${major}.`)) throw new Error(`bench: ${binary} is Node.js ${version}, not ${major}`);
  return { major, binary, version };
}

/** The releases BENCH_NODES names, resolved. */
function benchNodes(env = process.env) {
  return parseNodeMajors(setting('BENCH_NODES', env)).map((major) => nodeRelease(major, env));
}

module.exports = { parseNodeMajors, nodeRelease, benchNodes };
