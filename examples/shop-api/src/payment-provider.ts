/**
 * A stand-in payment provider, run as its own process so that slow payments,
 * declines and a full outage can be shown. Behaviour is set by environment and
 * can be changed while running: POST /admin/config {"latencyMs":..,"failureRate":..,"down":..}.
 *
 *   PAYMENT_PROVIDER_PORT (3100)  PAYMENT_LATENCY_MS (80)  PAYMENT_FAILURE_RATE (0.05)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

interface Behaviour {
  latencyMs: number;
  failureRate: number;
  down: boolean;
}

const behaviour: Behaviour = {
  latencyMs: Number(process.env.PAYMENT_LATENCY_MS ?? 80),
  failureRate: Number(process.env.PAYMENT_FAILURE_RATE ?? 0.05),
  down: false,
};

const DECLINE_CODES = ['insufficient_funds', 'card_expired', 'do_not_honor'];

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

const server = createServer((req, res) => {
  void (async () => {
    const body = await readJson(req);
    if (req.url === '/admin/config' && req.method === 'POST') {
      if (typeof body.latencyMs === 'number') behaviour.latencyMs = body.latencyMs;
      if (typeof body.failureRate === 'number') behaviour.failureRate = body.failureRate;
      if (typeof body.down === 'boolean') behaviour.down = body.down;
      return send(res, 200, behaviour);
    }
    if (behaviour.down) return send(res, 503, { status: 'unavailable' });
    if (req.url === '/health') return send(res, 200, { status: 'ok' });
    if (req.url === '/v1/payments' && req.method === 'POST') {
      // Latency with jitter: mostly near the setting, sometimes twice as long.
      const delay = behaviour.latencyMs * (0.5 + Math.random() * (Math.random() < 0.1 ? 2 : 1));
      await new Promise((r) => setTimeout(r, delay));
      if (Math.random() < behaviour.failureRate) {
        return send(res, 402, { status: 'declined', code: DECLINE_CODES[Math.floor(Math.random() * DECLINE_CODES.length)] });
      }
      return send(res, 200, { status: 'approved', transactionId: randomUUID() });
    }
    send(res, 404, { error: 'not found' });
  })();
});

const port = Number(process.env.PAYMENT_PROVIDER_PORT ?? 3100);
server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
