'use strict';
/**
 * A stand-in for the Datadog agent, for variant (e): it accepts what dd-trace
 * sends (traces on /v0.4|0.5/traces, stats, telemetry, anything else) and
 * answers as the agent does, so the tracer runs its normal export path. It
 * counts the traces it received from the `X-Datadog-Trace-Count` header and the
 * bytes, without decoding the msgpack payloads.
 */
const http = require('node:http');

const PORT = 27736;

function startDatadogSink() {
  const counts = { traces: 0, payloads: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk) => (bytes += chunk.length));
    req.on('end', () => {
      if (/^\/v0\.[45]\/traces/.test(req.url ?? '')) {
        counts.traces += Number(req.headers['x-datadog-trace-count'] ?? 0);
        counts.payloads += 1;
        counts.bytes += bytes;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"rate_by_service":{}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${PORT}`,
        counts,
        stop: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}

module.exports = { startDatadogSink, DD_SINK_PORT: PORT };
