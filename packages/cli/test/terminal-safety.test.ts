/**
 * Backend strings cannot drive the on-call engineer's terminal: escape
 * sequences, carriage returns and bidirectional overrides in a span name, an
 * attribute and a log body are printed escaped, and `--json` keeps them exact.
 */
import { runCli, startFake, type FakeBackend } from './fake-backends';
import { recorded } from './helpers';
import { jsonSafe, terminalSafe } from '../src/render/terminal-safe';

const TRACE_ID = 'c18cdd885c597b601df7810058bc4632';
const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const RETITLE = '\u001b]0;pwned\u0007';
const HOSTILE_BODY = `order lookup started${CLEAR_SCREEN}${RETITLE}\rall good\u202eevil\u009b31m`;
const HOSTILE_NAME = `load order\u001b[31m`;

/** The raw characters a terminal would act on. */
// eslint-disable-next-line no-control-regex -- the characters under test
const RAW_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let jaeger: FakeBackend;
let search: FakeBackend;
let env: Record<string, string>;

beforeAll(async () => {
  const trace = recorded('jaeger-trace.json').replace('"load order"', JSON.stringify(HOSTILE_NAME));
  const logs = recorded('search-logs.json').replace('"order lookup started"', JSON.stringify(HOSTILE_BODY));
  expect(trace).toContain('\\u001b[31m');
  expect(logs).toContain('\\u001b[2J');
  jaeger = await startFake(({ path }) => (path === `/api/traces/${TRACE_ID}` ? { text: trace } : undefined));
  search = await startFake(({ method, path }) => (method === 'POST' && path === '/o4o-logs*/_search' ? { text: logs } : undefined));
  env = { O4O_JAEGER_URL: jaeger.url, O4O_SEARCH_URL: search.url };
});
afterAll(async () => {
  await jaeger.close();
  await search.close();
});

test('o4o-otel trace prints hostile span names and log bodies escaped', async () => {
  const { code, stdout } = await runCli(['trace', TRACE_ID], env);
  expect(code).toBe(0);
  expect(stdout).not.toMatch(RAW_CONTROLS);
  expect(stdout).toContain('load order\\x1b[31m');
  expect(stdout).toContain('\\x1b[2J\\x1b[H');
  expect(stdout).toContain('\\x1b]0;pwned\\x07');
  // (Whitespace in a message is folded to one space; the rest is escaped.)
  expect(stdout).toContain('all good\\u202eevil\\x9b31m');
}, 30_000);

test('--json keeps the strings exact, as valid JSON with nothing raw in it', async () => {
  const { code, stdout } = await runCli(['trace', TRACE_ID, '--json'], env);
  expect(code).toBe(0);
  expect(stdout).not.toMatch(RAW_CONTROLS);
  const text = JSON.stringify(JSON.parse(stdout));
  expect(text).toContain(JSON.stringify(HOSTILE_BODY).slice(1, -1));
  expect(text).toContain(JSON.stringify(HOSTILE_NAME).slice(1, -1));
}, 30_000);

test('escaping is total and reversible in meaning', () => {
  for (let code = 0; code < 0x3000; code += 1) {
    const char = String.fromCharCode(code);
    if (char !== '\n') expect(terminalSafe(`a${char}b`)).not.toMatch(RAW_CONTROLS);
  }
  expect(terminalSafe('line one\nline two')).toBe('line one\nline two');
  expect(JSON.parse(jsonSafe(JSON.stringify({ s: '\u009b\u202e\u007f' })))).toEqual({ s: '\u009b\u202e\u007f' });
});
