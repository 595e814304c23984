/**
 * Export to a collector behind TLS: the CA from OTEL_EXPORTER_OTLP_CERTIFICATE
 * is trusted, gzip compression from OTEL_EXPORTER_OTLP_COMPRESSION is applied,
 * and without the CA nothing is sent in the clear or to an untrusted peer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER, startApp } from './helpers';

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl. */
function makeCertificates(dir: string): { ca: string; key: string; cert: string } {
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=o4o test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
  return { ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}

describe('OTLP over TLS', () => {
  let dir: string;
  let certs: ReturnType<typeof makeCertificates>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'o4o-tls-'));
    certs = makeCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('with the CA configured, spans arrive over HTTPS, gzip-compressed', async () => {
    const t = await startApp({
      script: 'express-app.js',
      receiver: { tls: { key: certs.key, cert: certs.cert } },
      env: { OTEL_EXPORTER_OTLP_CERTIFICATE: certs.ca, OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_METRICS_EXPORTER: 'none' },
    });
    try {
      expect(t.receiver.url).toMatch(/^https:/);
      expect((await fetch(`${t.app.baseUrl}/users/1`)).status).toBe(200);
      await t.receiver.waitFor(() => t.receiver.spans.some((s) => s.kind === SERVER), 15_000, 'the server span over TLS');
      expect(t.receiver.requestHeaders.every((h) => h['content-encoding'] === 'gzip')).toBe(true);
    } finally {
      await t.stop();
    }
  });

  test('without the CA the untrusted collector gets nothing, the app is unaffected, and the drop is counted', async () => {
    const t = await startApp({ script: 'express-app.js', receiver: { tls: { key: certs.key, cert: certs.cert } } });
    try {
      for (let i = 0; i < 3; i += 1) expect((await fetch(`${t.app.baseUrl}/users/${i}`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(t.receiver.spans).toHaveLength(0);
      const metrics = await (await fetch(t.metricsUrl)).text();
      expect(metrics).toMatch(/o4o_telemetry_dropped_total\{[^}]*signal="traces"[^}]*\} [1-9]/);
    } finally {
      await t.stop();
    }
  });

  test('a CA file that cannot be read gives one diagnostic line and the app runs', async () => {
    const t = await startApp({
      script: 'express-app.js',
      receiver: { tls: { key: certs.key, cert: certs.cert } },
      env: { OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, 'missing.pem'), OTEL_METRICS_EXPORTER: 'none' },
    });
    try {
      expect((await fetch(`${t.app.baseUrl}/users/1`)).status).toBe(200);
      expect(t.app.diagnostics().some((l) => l.includes('cannot read the OTLP CA certificate') && l.includes('missing.pem'))).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
