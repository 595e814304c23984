/**
 * The datasource provisioning file: fixed uids, and addresses from the Grafana
 * process's environment only, each one a variable stack/lib.sh derives from the
 * local stack's address book (stack/endpoints.env).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATASOURCES } from '../src/datasources';

const REPO = resolve(__dirname, '../..');
const provisioning = readFileSync(join(__dirname, '../provisioning/datasources/o4o.yaml'), 'utf8');

/** Each datasource's URL variable, and the book entry of the port it points at. */
const URL_PORTS = { O4O_PROMETHEUS_URL: 'O4O_PROMETHEUS_PORT', O4O_JAEGER_URL: 'O4O_JAEGER_QUERY_PORT', O4O_SEARCH_URL: 'O4O_SEARCH_PORT' } as const;
type UrlVariable = keyof typeof URL_PORTS;

const book = Object.fromEntries(
  readFileSync(join(REPO, 'stack/endpoints.env'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!]),
);

test('every datasource of the dashboards is provisioned with its fixed uid', () => {
  for (const { type, uid } of Object.values(DATASOURCES)) expect(provisioning).toMatch(new RegExp(`uid: ${uid}\\n\\s+type: ${type}\\n`));
});

test('datasource URLs come from the environment, with no address written here', () => {
  // A datasource's own url (its data links are indented deeper).
  const urls = [...provisioning.matchAll(/^ {4}url: (.*)$/gm)].map((m) => m[1]);
  expect(urls.sort()).toEqual(Object.keys(URL_PORTS).map((name) => `\${${name}}`).sort());
  expect(provisioning).not.toMatch(/\d+\.\d+\.\d+\.\d+|localhost|:\d{2,5}\b/);
});

test("stack/lib.sh exports each URL variable, from the address book's host and port", () => {
  const names = Object.keys(URL_PORTS) as UrlVariable[];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  const out = execFileSync('bash', ['-c', 'source stack/lib.sh && for name; do printf "%s=%s\\n" "$name" "$(printenv "$name")"; done', 'lib', ...names], {
    cwd: REPO,
    env,
    encoding: 'utf8',
  });
  const exported = Object.fromEntries(out.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
  for (const name of names) expect([name, exported[name]]).toEqual([name, `http://${book.O4O_STACK_HOST}:${book[URL_PORTS[name]]}`]);
});
