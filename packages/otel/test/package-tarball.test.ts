/**
 * The packed tarball works in a plain npm project outside the workspace: the
 * dependency list is complete and the entry points resolve without pnpm's layout;
 * and an app that depends on @opentelemetry/api itself shares one copy, and so
 * one global registry, with the preload.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFixture, startOtlpReceiver } from '@o4o/test-utils';
import { FIXTURES, PACKAGE_DIR } from './helpers';

describe('packed tarball', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'o4o-otel-pack-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('installs with npm into a fresh project and traces it, CommonJS and ESM', async () => {
    execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: PACKAGE_DIR, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const project = join(dir, 'app');
    cpSync(join(FIXTURES, 'express-app.js'), join(project, 'app.js'));
    cpSync(join(FIXTURES, 'express-app.mjs'), join(project, 'app.mjs'));
    cpSync(join(FIXTURES, 'api-app.js'), join(project, 'api-app.js'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'plain-app', private: true, version: '1.0.0' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball!), 'express@5.3.0', '@opentelemetry/api@1.10.0'], {
      cwd: project,
      stdio: 'pipe',
      timeout: 240_000,
    });

    for (const [flag, script] of [['--require', 'app.js'], ['--import', 'app.mjs']] as const) {
      const receiver = await startOtlpReceiver();
      const app = await runFixture({
        script: join(project, script),
        cwd: project,
        preload: { flag, module: '@o4o/otel/register' },
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      });
      try {
        await fetch(`${app.baseUrl}/users/1`);
        await receiver.waitFor(() => receiver.spans.some((s) => s.name === 'GET /users/:id'), 15_000, `a span from the installed package (${flag})`);
        expect(app.diagnostics().some((l) => l.startsWith('@o4o/otel: started'))).toBe(true);
      } finally {
        await app.stop();
        await receiver.close();
      }
    }

    // One copy of the API in the tree: the app's and the preload's are the same module.
    const copies = execFileSync('find', [join(project, 'node_modules'), '-path', '*/@opentelemetry/api/package.json'], { encoding: 'utf8' }).trim().split('\n');
    expect(copies).toHaveLength(1);
    expect((JSON.parse(readFileSync(copies[0]!, 'utf8')) as { version: string }).version).toBe('1.10.0');
    const receiver = await startOtlpReceiver();
    const app = await runFixture({
      script: join(project, 'api-app.js'),
      cwd: project,
      preload: { flag: '--require', module: '@o4o/otel/register' },
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    });
    try {
      await fetch(`${app.baseUrl}/work`);
      await receiver.waitFor(() => receiver.spans.some((s) => s.name === 'app work') && receiver.spans.some((s) => s.name === 'GET /work'), 15_000, "the app's own span and the request span");
      const own = receiver.spans.find((s) => s.name === 'app work')!;
      const request = receiver.spans.find((s) => s.name === 'GET /work')!;
      // The app's span is a child in the request's trace: one registry, one context.
      expect(own.traceId).toBe(request.traceId);
    } finally {
      await app.stop();
      await receiver.close();
    }
  }, 300_000);
});
