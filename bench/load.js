'use strict';
/**
 * The load generator, run in its own process (pinned away from the app by the
 * harness). Prints one JSON line.
 *
 *   node load.js closed '{"url":..., "method":..., "body":..., "connections":10, "seconds":10}'
 *     autocannon, closed loop: as many requests as the app completes.
 *   node load.js open '{"url":..., "method":..., "body":..., "rate":1500, "seconds":10}'
 *     open loop at a fixed rate: request i is due at start + i/rate whether or not
 *     earlier ones answered; latency counts from the due time, so a stalled app
 *     is not hidden by the generator waiting for it (no coordinated omission).
 *     Microsecond timing: autocannon's histogram has 1 ms steps and its rate
 *     limit sends each second's requests in one burst.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const autocannon = require('autocannon');

function closed({ url, method = 'GET', body, connections = 10, seconds = 10 }) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method, body, headers: body ? { 'content-type': 'application/json' } : {}, connections, duration: seconds },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          seconds: result.duration,
          rps: result['2xx'] / result.duration,
          p99Ms: result.latency.p99,
        });
      },
    );
  });
}

function open({ url, method = 'GET', body, rate, seconds = 10 }) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const payload = body ? Buffer.from(body) : undefined;
  const headers = payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {};
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  let sent = 0;
  let done = 0;
  let ok = 0;
  let errors = 0;
  return new Promise((resolve) => {
    const start = performance.now();
    const finish = () => {
      agent.destroy();
      const answered = Array.from(latencies.subarray(0, total)).filter((v) => v > 0).sort((a, b) => a - b);
      const at = (q) => answered[Math.min(answered.length - 1, Math.floor(q * answered.length))];
      resolve({ requests: total, ok, errors, rate, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: answered[answered.length - 1] });
    };
    const send = (i, due) => {
      const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies[i] = performance.now() - due;
          if (res.statusCode >= 200 && res.statusCode < 300) ok++;
          if (++done === total) finish();
        });
      });
      req.setTimeout(10000, () => req.destroy());
      req.on('error', () => {
        // A failed or timed-out request counts with the time it took to fail,
        // so a saturated app cannot improve its p99 by dropping requests.
        latencies[i] = performance.now() - due;
        errors++;
        if (++done === total) finish();
      });
      req.end(payload);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        send(sent, start + sent * interval);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + sent * interval - performance.now())));
    };
    tick();
  });
}

const [mode, json] = process.argv.slice(2);
const options = JSON.parse(json);
(mode === 'open' ? open(options) : closed(options)).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    process.stderr.write(`load: ${error.stack}\n`);
    process.exit(1);
  },
);
