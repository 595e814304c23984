'use strict';
/**
 * Cost per span of encoding an OTLP/protobuf export request: the SDK's
 * ProtobufTraceSerializer against @o4o/otel's one-pass encoder, on the spans
 * GET /products makes (server span, request handler, one SQL statement),
 * batches of 513, alternating. Both must write the same bytes. Prints one JSON line.
 *
 *   node bench/micro/span-encoding.js
 */
const { performance } = require('node:perf_hooks');
const { createRequire } = require('node:module');
const { setting } = require('../defaults');

// The SDK packages as @o4o/otel resolves them, so both encoders read the same span objects.
const otel = createRequire(require.resolve('@o4o/otel/package.json'));
const { TracerProvider } = otel('@opentelemetry/sdk-trace');
const { resourceFromAttributes } = otel('@opentelemetry/resources');
const { ProtobufTraceSerializer } = otel('@opentelemetry/otlp-transformer');
const { createSpanBatch } = otel('./dist/otlp-trace-encoder.js');

const SQL =
  'SELECT "Product"."id" AS "Product_id", "Product"."name" AS "Product_name", "Product"."price" AS "Product_price", "Product"."stock" AS "Product_stock", ' +
  '"Product"."createdAt" AS "Product_createdAt" FROM "products" "Product" WHERE "Product"."active" = ? ORDER BY "Product"."id" ASC LIMIT ?';

function productSpans(requests) {
  const spans = [];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop-api', 'service.version': '1.0.0', 'host.name': 'bench', 'process.pid': process.pid }),
    spanProcessors: [{ onStart() {}, onEnd: (span) => spans.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const http = provider.getTracer('@o4o/otel/http-server', '0.1.0');
  const orm = provider.getTracer('@o4o/otel/typeorm', '0.1.0');
  for (let i = 0; i < requests; i++) {
    const server = http.startSpan('GET /products', {
      kind: 1,
      attributes: {
        'http.request.method': 'GET', 'url.path': '/products', 'url.scheme': 'http', 'server.address': '127.0.0.1', 'server.port': 3000,
        'network.peer.address': '127.0.0.1', 'network.peer.port': 40_000 + i, 'user_agent.original': 'autocannon', 'http.route': '/products',
        'http.response.status_code': 200, 'network.protocol.version': '1.1', 'client.address': '127.0.0.1',
      },
    });
    const handler = http.startSpan('request handler', { attributes: { 'http.route': '/products', 'express.type': 'request_handler' } });
    const statement = orm.startSpan('SELECT products', {
      kind: 2,
      attributes: {
        'db.system.name': 'sqlite', 'db.namespace': ':memory:', 'db.query.text': SQL, 'db.operation.name': 'SELECT',
        'db.collection.name': 'products', 'o4o.db.orm.operation': 'find', 'o4o.db.orm.entity': 'Product',
      },
    });
    statement.end();
    handler.end();
    server.end();
  }
  return spans;
}

const spans = productSpans(171);
const encoder = createSpanBatch();
const sdkBytes = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans));
if (!sdkBytes.equals(Buffer.from(encoder.encode(spans)))) throw new Error('the two encoders wrote different bytes');

function nsPerSpan(encode, millis) {
  let batches = 0;
  const start = performance.now();
  while (performance.now() - start < millis) {
    encode(spans);
    batches += 1;
  }
  return ((performance.now() - start) * 1e6) / (batches * spans.length);
}

const seconds = setting('BENCH_MICRO_SECONDS');
const sdk = [];
const ours = [];
for (let round = 0; round < 6; round++) {
  sdk.push(nsPerSpan((batch) => ProtobufTraceSerializer.serializeRequest(batch), (seconds * 1000) / 12));
  ours.push(nsPerSpan((batch) => encoder.encode(batch), (seconds * 1000) / 12));
}
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
process.stderr.write(
  `${JSON.stringify({ results: [{ encoder: 'sdk', nsPerSpan: median(sdk) }, { encoder: 'o4o', nsPerSpan: median(ours) }], spansPerBatch: spans.length, bytesPerBatch: sdkBytes.length })}\n`,
);
