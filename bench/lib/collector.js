'use strict';
/**
 * A benchmark instance of the real o4o-otelcol (collector/config/base.yaml +
 * local.yaml + bench/collector/bench.yaml), on its own ports, with its own
 * queue directory, its backends pointed at a closed port. Counters come from
 * its own telemetry (otelcol_receiver_accepted_*).
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { spawnLogged, waitFor200, httpText, stop } = require('./proc');
const { performance } = require('node:perf_hooks');
const { counter, parseExposition, sum } = require('@o4o/backends');

const REPO = path.resolve(__dirname, '..', '..');
const PORTS = { otlpHttp: 27718, otlpGrpc: 27717, health: 27733, telemetry: 27788 };
const CLOSED = '127.0.0.1:9'; // discard port: nothing listens on it here

function collectorBinary() {
  return execFileSync('bash', [path.join(REPO, 'collector', 'build.sh'), '--print-path'], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
}

function collectorVersion(binary) {
  try {
    return execFileSync(binary, ['--version']).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** Starts the collector; `metricsTarget` is the service endpoint its Prometheus receiver scrapes. */
async function startCollector({ workDir, cpus, metricsTarget = '127.0.0.1:27764', env = {} }) {
  const binary = collectorBinary();
  const queueDir = path.join(workDir, 'collector-queue');
  fs.rmSync(queueDir, { recursive: true, force: true });
  fs.mkdirSync(queueDir, { recursive: true });
  const child = spawnLogged({
    command: binary,
    args: ['--config', path.join(REPO, 'collector/config/base.yaml'), '--config', path.join(REPO, 'collector/config/local.yaml'), '--config', path.join(__dirname, '..', 'collector', 'bench.yaml')],
    cpus,
    logFile: path.join(workDir, 'collector.log'),
    env: {
      ...process.env,
      O4O_QUEUE_DIR: queueDir,
      O4O_OTLP_HTTP_ENDPOINT: `127.0.0.1:${PORTS.otlpHttp}`,
      O4O_OTLP_GRPC_ENDPOINT: `127.0.0.1:${PORTS.otlpGrpc}`,
      O4O_HEALTH_CHECK_ENDPOINT: `127.0.0.1:${PORTS.health}`,
      O4O_BENCH_TELEMETRY_PORT: String(PORTS.telemetry),
      O4O_SERVICE_METRICS_TARGET: metricsTarget,
      O4O_HEALTH_URL: 'http://127.0.0.1:9/health',
      O4O_BLACKBOX_ENDPOINT: CLOSED,
      O4O_JAEGER_OTLP_ENDPOINT: CLOSED,
      O4O_PROMETHEUS_REMOTE_WRITE_URL: `http://${CLOSED}/api/v1/write`,
      O4O_SEARCH_ENDPOINT: `http://${CLOSED}`,
      O4O_COLLECTOR_LOG_LEVEL: 'warn',
      ...env,
    },
  });
  await waitFor200(`http://127.0.0.1:${PORTS.health}/`, { child, sinceMs: performance.now(), timeoutMillis: 60000, intervalMillis: 200 });
  return { child, binary, version: collectorVersion(binary), otlpEndpoint: `http://127.0.0.1:${PORTS.otlpHttp}`, stop: () => stop(child, 15000) };
}

/** Sums of the collector's receiver counters: { spans, logs, metricPoints, refusedSpans, refusedLogs }. */
async function receiverCounts() {
  const samples = parseExposition(await httpText(`http://127.0.0.1:${PORTS.telemetry}/metrics`));
  const total = (name) => sum(counter(samples, name));
  return {
    spans: total('otelcol_receiver_accepted_spans'),
    logs: total('otelcol_receiver_accepted_log_records'),
    refusedSpans: total('otelcol_receiver_refused_spans'),
    refusedLogs: total('otelcol_receiver_refused_log_records'),
  };
}

module.exports = { startCollector, receiverCounts, collectorBinary, collectorVersion, PORTS };
