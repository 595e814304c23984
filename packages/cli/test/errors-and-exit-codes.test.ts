/**
 * What scripts rely on: exit codes and one-line messages for malformed input
 * (2), unreachable or failing backends (3), across commands.
 */
import { closedUrl, runCli, startFake } from './fake-backends';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

test('a malformed trace id: exit 2, one line, nothing on stdout', async () => {
  expect(await runCli(['trace', 'not-a-trace-id'])).toEqual({
    code: 2,
    stdout: '',
    stderr: "o4o-otel: malformed trace id 'not-a-trace-id': expected 32 hex digits, e.g. 4bf92f3577b34da6a3ce929d0e0e4736\n",
  });
});

test('an unknown flag or command: exit 2', async () => {
  expect(await runCli(['find', '--order', '42'])).toMatchObject({ code: 2, stderr: "o4o-otel: unknown flag '--order' for find (o4o-otel find --help)\n" });
  expect(await runCli(['tail'])).toMatchObject({ code: 2, stderr: "o4o-otel: unknown command 'tail': expected one of trace, find, alerts, doctor (o4o-otel --help)\n" });
});

test('a usage error with --json also prints a JSON error on stdout', async () => {
  const { code, stdout } = await runCli(['trace', 'xyz', '--json']);
  expect(code).toBe(2);
  expect(JSON.parse(stdout)).toEqual({ error: { code: 'usage', message: expect.stringContaining("malformed trace id 'xyz'") } });
});

test.each([
  ['trace', [TRACE_ID], 'Jaeger', 'O4O_JAEGER_URL', '--jaeger'],
  ['find', [], 'Jaeger', 'O4O_JAEGER_URL', '--jaeger'],
  ['alerts', [], 'Alertmanager', 'O4O_ALERTMANAGER_URL', '--alertmanager'],
])('%s with its backend unreachable: exit 3, the message names the backend and its URL', async (command, args, name, variable, flag) => {
  const down = await closedUrl();
  const viaEnv = await runCli([command, ...args], { [variable]: down });
  expect(viaEnv).toEqual({ code: 3, stdout: '', stderr: `o4o-otel: ${name} at ${down} is unreachable (connect ECONNREFUSED); start the stack with bash stack/start.sh or set ${variable}\n` });
  const viaFlag = await runCli([command, ...args, flag, down]);
  expect(viaFlag.code).toBe(3);
  expect(viaFlag.stderr).toContain(`${name} at ${down} is unreachable`);
});

test('--json with an unreachable backend: a JSON error naming it', async () => {
  const down = await closedUrl();
  const { code, stdout } = await runCli(['trace', TRACE_ID, '--json', '--jaeger', down]);
  expect(code).toBe(3);
  expect(JSON.parse(stdout)).toEqual({ error: { code: 'backend_unreachable', backend: 'Jaeger', url: down, reason: 'connect ECONNREFUSED', message: expect.any(String) } });
});

test('a backend that does not answer in time: exit 3 after --timeout', async () => {
  const silent = await startFake(() => ({ hang: true }));
  try {
    const started = Date.now();
    const { code, stderr } = await runCli(['trace', TRACE_ID, '--timeout', '300ms'], { O4O_JAEGER_URL: silent.url });
    expect(code).toBe(3);
    expect(stderr).toBe(`o4o-otel: Jaeger at ${silent.url} is unreachable (no answer within 300 ms); start the stack with bash stack/start.sh or set O4O_JAEGER_URL\n`);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await silent.close();
  }
});

test('a backend answering with an error: exit 3 with its status', async () => {
  const broken = await startFake(() => ({ status: 503, text: 'storage unavailable' }));
  try {
    const { code, stderr } = await runCli(['find', '--service', 'shop-api'], { O4O_JAEGER_URL: broken.url });
    expect(code).toBe(3);
    expect(stderr).toBe(`o4o-otel: Jaeger at ${broken.url} failed: HTTP 503 for /api/traces: storage unavailable\n`);
  } finally {
    await broken.close();
  }
});

test('--help and --version: exit 0', async () => {
  const help = await runCli(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Exit codes: 0 ok; 1 not found');
  expect((await runCli(['--version'])).stdout).toMatch(/^o4o-otel \d+\.\d+\.\d+\n$/);
});
