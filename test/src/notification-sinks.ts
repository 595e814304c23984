/**
 * Local stand-ins for where Alertmanager delivers: one HTTP server that
 * captures Slack-compatible webhook posts, SMS gateway posts and alert
 * history posts by path, and an SMTP server that captures mail. Both listen on
 * 127.0.0.1, on free ports.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedPost {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export interface WebhookSink {
  readonly url: string;
  readonly posts: CapturedPost[];
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const posts: CapturedPost[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = { unparsed: Buffer.concat(chunks).toString('utf8') };
      }
      posts.push({ path: req.url ?? '', headers: req.headers, body });
      // Slack's incoming webhooks answer "ok".
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface CapturedMail {
  readonly from: string;
  readonly to: string[];
  readonly user: string | undefined;
  readonly raw: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly mails: CapturedMail[];
  close(): Promise<void>;
}

/** Plain SMTP without TLS (as smtp_require_tls: false), accepting AUTH only with these credentials. */
export async function startSmtpSink(credentials: { username: string; password: string }): Promise<SmtpSink> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.username && auth.password === credentials.password) return callback(null, { user: auth.username });
      return callback(new Error('invalid credentials'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
