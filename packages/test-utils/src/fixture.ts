/**
 * Runs a fixture app in a child process under the real preload, the way a
 * service runs in production (`node --require` / `node --import`). Instrumentation
 * cannot be tested in-process: Jest replaces `require`, so module hooks never fire.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface FixtureOptions {
  /** Path of the script to run. */
  readonly script: string;
  /** `--require` (CommonJS) or `--import` (ESM) preload of this module, or none. */
  readonly preload?: { readonly flag: '--require' | '--import'; readonly module: string };
  /** Node options before the preload, e.g. `--experimental-async-context-frame`. */
  readonly nodeArgs?: readonly string[];
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Resolve `started` once stdout prints `listening <port>`. Default true. */
  readonly waitForListening?: boolean;
  readonly startTimeoutMillis?: number;
}

export interface Fixture {
  readonly child: ChildProcess;
  /** Port the app printed, when it is a server. */
  readonly port: number;
  readonly baseUrl: string;
  stdout(): string;
  stderr(): string;
  /** Lines the distribution wrote about itself on stderr. */
  diagnostics(): string[];
  /** Resolves with the exit code and signal once the process has ended. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the process if it still runs (SIGKILL after SIGTERM grace). */
  stop(): Promise<void>;
}

/** The variables a fixture must not inherit from the test runner's environment. */
function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('OTEL_') || key.startsWith('O4O_OTEL_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export async function runFixture(options: FixtureOptions): Promise<Fixture> {
  const args = [...(options.nodeArgs ?? []), ...(options.preload ? [options.preload.flag, options.preload.module] : []), options.script];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: cleanEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  let port = 0;
  if (options.waitForListening !== false) {
    const timeout = options.startTimeoutMillis ?? 20_000;
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fixture ${options.script} did not listen within ${timeout} ms\nstdout: ${out}\nstderr: ${err}`)), timeout);
      const check = (): void => {
        const match = /listening (\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on('data', check);
      void exit.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`fixture ${options.script} exited (code ${code}, signal ${signal}) before listening\nstdout: ${out}\nstderr: ${err}`));
      });
    });
  }

  let ended = false;
  void exit.then(() => (ended = true));
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    diagnostics: () => err.split('\n').filter((l) => l.startsWith('@o4o/otel:')),
    exited: () => exit,
    stop: async () => {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
