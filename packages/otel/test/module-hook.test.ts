/**
 * ModuleLoadHook takes require-in-the-middle's place under the instrumentation
 * base class: loading the same real package tree (Express, TypeORM's 300 files,
 * winston), it must call its hooks with exactly what require-in-the-middle
 * calls them with (names of main files and internals, package folders,
 * built-ins once), so every instrumentation patches the same modules.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, PACKAGE_DIR } from './helpers';

interface HookRun {
  seen: [hook: string, name: string, basedir: string | null][];
  loadedBefore: string[];
  expressPatched: number;
  httpPatched: number;
  sameHttp: boolean;
  winstonLoaded: boolean;
}

function run(which: 'ritm' | 'load'): HookRun {
  const out = execFileSync(process.execPath, [join(FIXTURES, 'module-hook-app.js'), which], { encoding: 'utf8' });
  return JSON.parse(out) as HookRun;
}

/** The calls, sorted, leaving out packages loaded before the hooks (where the two differ on purpose). */
const comparable = (run: HookRun, before: ReadonlySet<string>): string[] =>
  run.seen
    .filter(([, , basedir]) => basedir === null || !before.has(basedir))
    .map((entry) => JSON.stringify(entry))
    .sort();

describe('module load hook', () => {
  // Run once each; the tests read the two runs.
  const reference = run('ritm');
  const ours = run('load');

  test('calls its hooks with what require-in-the-middle calls them with', () => {
    const before = new Set([...reference.loadedBefore, ...ours.loadedBefore].map((name) => name.split('/').pop()!));
    const expected = comparable(reference, before);
    const got = new Set(comparable(ours, before));
    expect(expected.length).toBeGreaterThan(500);
    expect(expected.filter((call) => !got.has(call))).toEqual([]);
    // More, only where Node loads a CommonJS file for an ES module (a package's
    // `module-sync` entry importing its `index.js`): require() never sees those.
    const extra = [...got].filter((call) => !expected.includes(call)).map((call) => JSON.parse(call)[1] as string);
    expect(extra.every((name) => name.endsWith(`${'/'}index.js`))).toBe(true);
  });

  test('sees main files, internals, listed sub-modules and built-ins, each once', () => {
    const names = (hook: string): string[] => ours.seen.filter(([h]) => h === hook).map(([, name]) => name);
    const all = names('all');
    expect(all.filter((name) => name === 'express')).toHaveLength(1);
    expect(all).toContain(join('router', 'lib', 'route.js'));
    expect(all.filter((name) => name.startsWith(`typeorm${'/'}`)).length).toBeGreaterThan(100);
    expect(all.filter((name) => name === 'http')).toHaveLength(1);
    // Unhooked before winston was required.
    expect(all.some((name) => name.startsWith('winston'))).toBe(false);
    expect(names('mains')).toContain('winston');
    const mains = ours.seen.filter(([hook, , basedir]) => hook === 'mains' && basedir !== null).map(([, name]) => name);
    expect(mains.some((name) => name.includes('/') && !name.startsWith('@'))).toBe(false);
    // A listed package with its internals, and a listed sub-module (named without `.js`, as RITM names it).
    const listed = names('listed');
    expect(listed).toEqual(expect.arrayContaining(['express', 'router/lib/route', join('express', 'lib', 'express.js')]));
    expect(listed.every((name) => name === 'router/lib/route' || name.startsWith('express'))).toBe(true);
    expect(ours.seen.find(([, name]) => name === 'express')?.[2]).toBe('express');
  });

  test('returns what the hook returned, to every later require and to getBuiltinModule', () => {
    expect(ours.expressPatched).toBe(1);
    expect(ours.httpPatched).toBe(1);
    expect(ours.sameHttp).toBe(true);
    expect([reference.expressPatched, reference.httpPatched, reference.sameHttp]).toEqual([1, 1, true]);
  });

  test('a hook that throws leaves the module loaded, unpatched', () => {
    expect(ours.winstonLoaded).toBe(true);
  });
});

describe('under the preload', () => {
  // The instrumentations' require hooks are ModuleLoadHooks in every copy of
  // require-in-the-middle, with --require and with --import: otherwise the app
  // still starts, only slower, and nothing else would notice.
  test.each([
    ['--require', join(PACKAGE_DIR, 'register.js')],
    ['--import', join(PACKAGE_DIR, 'register.mjs')],
  ])('%s: every require-in-the-middle copy creates ModuleLoadHooks', (flag, entry) => {
    const out = execFileSync(process.execPath, [flag, entry, join(FIXTURES, 'require-hooks-app.js')], {
      encoding: 'utf8',
      env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    });
    const copies = JSON.parse(out) as { file: string; hook: string }[];
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.filter((copy) => copy.hook !== 'ModuleLoadHook')).toEqual([]);
  });
});
