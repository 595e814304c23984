/**
 * A private PostgreSQL server for a test run: a fresh cluster in a temporary
 * folder, on a free loopback port, stopped and deleted afterwards. Uses the
 * machine's PostgreSQL binaries (Debian's `postgresql` package). PostgreSQL
 * refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from './ports';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `postgres://user:password@127.0.0.1:port/database` */
  readonly url: string;
  /** Stops the server, keeping its data; `start()` brings it back on the same port. */
  stop(): void;
  start(): void;
  /** Stops the server and deletes its data folder. */
  destroy(): void;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) throw new Error('PostgreSQL is not installed (Debian package "postgresql"); run scripts/system-packages.sh');
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no PostgreSQL version under ${base}`);
  return join(base, versions[0]!, 'bin');
}

export async function startPostgres(options: { database?: string } = {}): Promise<PostgresServer> {
  const bin = binDir();
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'o4o-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const user = 'o4o';
  const password = 'o4o-test-only';
  const database = options.database ?? 'o4o_test';

  if (asRoot) {
    const pgUser = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const pgGroup = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(pgUser), Number(pgGroup));
    chmodSync(dir, 0o700);
  }
  const run = (args: string[], input?: string): void => {
    const [cmd, ...rest] = asRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args;
    const result = spawnSync(cmd!, rest, { input, encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  };

  const pwfile = join(dir, 'pw');
  run(['sh', '-c', `printf '%s' '${password}' > ${pwfile}`]);
  run([join(bin, 'initdb'), '-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const start = (): void =>
    run([
      join(bin, 'pg_ctl'), '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
      '-o', `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=100`,
      'start',
    ]);
  const stop = (): void => {
    if (existsSync(join(data, 'postmaster.pid'))) run([join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']);
  };
  start();
  run([join(bin, 'psql'), '-h', dir, '-p', String(port), '-U', user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${database}`]);

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    stop,
    start,
    destroy: () => {
      try {
        stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
