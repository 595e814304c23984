/**
 * The require hook behind every instrumentation, at a cost paid once per module
 * file instead of once per `require()` call.
 *
 * `@opentelemetry/instrumentation` hooks `require` through require-in-the-middle
 * (RITM), one hook per copy of the package, all modules, internals included.
 * RITM resolves the id of every `require()` call again (a module already
 * loaded included) and, for each file loaded, resolves the file's package once
 * more to tell its main file from its internals; two copies (contrib
 * instrumentations pin an older base) do it twice. That was 125 ms of the
 * shop's 490 ms start.
 *
 * `ModuleLoadHook` keeps RITM's contract (`new Hook(modules | null, { internals },
 * onrequire)`, `onrequire(exports, name, basedir)`, `unhook()`) and takes the
 * place of RITM's `Hook` in each copy of RITM as it loads, before any
 * instrumentation is created. It sees a package file when Node loads it
 * (`Module.prototype.load`, with the filename Node already resolved), finds its
 * package with a string split, and resolves each package's main file once.
 * Built-in modules are seen at `require()` and `process.getBuiltinModule()`,
 * by a check that costs a set lookup. Differences from RITM: a module loaded
 * before the hook was created is not patched on a later `require` (the preload
 * runs before the app, so only the preload's own modules are), and a hook that
 * throws leaves the module as it was instead of failing the app's `require`.
 */
import Module from 'node:module';
import path from 'node:path';
import { diag } from '@opentelemetry/api';
import moduleDetailsFromPath from 'module-details-from-path';

export type OnRequire = (exports: unknown, name: string, basedir?: string) => unknown;

interface HookOptions {
  readonly internals?: boolean;
}

interface LoadableModule {
  exports: unknown;
  load(this: LoadableModule, filename: string): void;
}

const hooks: ModuleLoadHook[] = [];
/** Incremented whenever a hook is added, so a cached built-in knows whether a newer hook has not seen it. */
let generation = 0;

interface PatchedBuiltin {
  exports: unknown;
  generation: number;
  readonly seen: Set<ModuleLoadHook>;
}
const builtins = new Map<string, PatchedBuiltin>();

/** `require('foo/lib/../bar.js')` names `foo/bar`, as RITM does, for hooks that list sub-modules. */
const INDEX_OR_JS = /([/\\]index)?(\.js)?$/;

export class ModuleLoadHook {
  readonly modules: readonly string[] | null;
  readonly internals: boolean;
  readonly onrequire: OnRequire;

  constructor(modules: readonly string[] | null | OnRequire, options?: HookOptions | OnRequire | null, onrequire?: OnRequire) {
    // RITM's overloads: (onrequire), (modules, onrequire), (modules, options, onrequire).
    if (typeof modules === 'function') {
      onrequire = modules;
      modules = null;
      options = null;
    } else if (typeof options === 'function') {
      onrequire = options;
      options = null;
    }
    this.modules = Array.isArray(modules) ? modules : null;
    this.internals = options?.internals === true;
    this.onrequire = onrequire!;
    installLoadHook();
    hooks.push(this);
    generation++;
  }

  unhook(): void {
    const at = hooks.indexOf(this);
    if (at !== -1) hooks.splice(at, 1);
  }

  /** What this hook calls its module, or undefined when it does not want it (RITM's rules). */
  nameFor(filename: string, details: ModuleDetails | undefined): { name: string; basedir: string } | undefined {
    const listed = this.modules;
    if (listed !== null && listed.includes(filename)) {
      const parsed = path.parse(filename);
      return { name: parsed.name, basedir: parsed.dir };
    }
    if (details === undefined) return undefined;
    const { name, basedir } = details;
    if (listed !== null) {
      const full = path.posix.join(name, details.path.split(path.sep).join('/')).replace(INDEX_OR_JS, '');
      if (full !== name && listed.includes(full)) return { name: full, basedir };
      if (!listed.includes(name)) return undefined;
    }
    // A package whose main file does not resolve is left alone, as RITM does.
    if (details.main === undefined) return undefined;
    if (filename === details.main) return { name, basedir };
    if (!this.internals) return undefined;
    return { name: name + path.sep + path.relative(basedir, filename), basedir };
  }
}

interface ModuleDetails {
  readonly name: string;
  readonly basedir: string;
  readonly path: string;
  /** The package's main file as `require(name)` resolves it from the package, if it resolves. */
  readonly main: string | undefined;
}

const mainFiles = new Map<string, string | undefined>();

function detailsOf(filename: string): ModuleDetails | undefined {
  const details = moduleDetailsFromPath(filename);
  if (details === undefined) return undefined;
  let main = mainFiles.get(details.basedir);
  if (main === undefined && !mainFiles.has(details.basedir)) {
    try {
      main = require.resolve(details.name, { paths: [details.basedir] });
    } catch {
      main = undefined;
    }
    mainFiles.set(details.basedir, main);
  }
  return { ...details, main };
}

/** Runs every hook that wants the file over its exports, in the order the hooks were made. */
function patchLoaded(exports: unknown, filename: string): unknown {
  let details: ModuleDetails | undefined;
  let detailed = false;
  for (const hook of hooks.slice()) {
    if (!detailed) {
      details = detailsOf(filename);
      detailed = true;
    }
    const named = hook.nameFor(filename, details);
    if (named === undefined) continue;
    try {
      exports = hook.onrequire(exports, named.name, named.basedir);
    } catch (error) {
      diag.warn(`module hook: patching ${named.name} failed; it runs unpatched`, error);
    }
  }
  return exports;
}

function builtinKey(id: string): string {
  return id.startsWith('node:') && Module.isBuiltin(id.slice(5)) ? id.slice(5) : id;
}

/** A built-in's exports (`load` called on `self` the first time) after every hook that wants it has seen them once. */
function patchBuiltin(id: string, load: (this: unknown, id: string) => unknown, self: unknown): unknown {
  const key = builtinKey(id);
  let patched = builtins.get(key);
  if (patched !== undefined && patched.generation === generation) return patched.exports;
  if (patched === undefined) builtins.set(key, (patched = { exports: load.call(self, id), generation, seen: new Set() }));
  patched.generation = generation;
  for (const hook of hooks.slice()) {
    if (patched.seen.has(hook) || (hook.modules !== null && !hook.modules.includes(key))) continue;
    patched.seen.add(hook);
    try {
      patched.exports = hook.onrequire(patched.exports, key, undefined);
    } catch (error) {
      diag.warn(`module hook: patching ${key} failed; it runs unpatched`, error);
    }
  }
  return patched.exports;
}

let installed = false;
let replacingRitm = false;
const RITM = 'require-in-the-middle';

/** Gives a freshly loaded require-in-the-middle our Hook (see replaceRequireInTheMiddle). */
function replaceRitmHook(exports: unknown, filename: string): void {
  if (!filename.includes(RITM)) return;
  const details = detailsOf(filename);
  if (details?.name !== RITM || details.main !== filename) return;
  const ritm = exports as { Hook?: unknown } | null;
  if (typeof ritm === 'function' || (typeof ritm === 'object' && ritm !== null)) ritm!.Hook = ModuleLoadHook;
}

function installLoadHook(): void {
  if (installed) return;
  installed = true;
  const proto = Module.prototype as unknown as LoadableModule & { require(id: string): unknown };
  const load = proto.load;
  proto.load = function loadAndPatch(this: LoadableModule, filename: string): void {
    load.call(this, filename);
    if (replacingRitm) replaceRitmHook(this.exports, filename);
    if (hooks.length > 0) this.exports = patchLoaded(this.exports, filename);
  };
  const requireModule = proto.require;
  proto.require = function requireWithBuiltins(this: unknown, id: string): unknown {
    if (typeof id === 'string' && hooks.length > 0 && Module.isBuiltin(id)) return patchBuiltin(id, requireModule, this);
    return requireModule.call(this, id);
  };
  const getBuiltinModule = process.getBuiltinModule as ((id: string) => unknown) | undefined;
  if (typeof getBuiltinModule === 'function') {
    process.getBuiltinModule = function (id: string): unknown {
      if (typeof id === 'string' && hooks.length > 0 && Module.isBuiltin(id)) return patchBuiltin(id, getBuiltinModule, process);
      return getBuiltinModule.call(process, id);
    } as typeof process.getBuiltinModule;
  }
}

/**
 * Every copy of require-in-the-middle, loaded already or from now on, creates
 * ModuleLoadHooks: its `Hook` is replaced (as its main file finishes loading,
 * for a copy loaded later). Call before the first instrumentation is created:
 * the base class creates its hook then. A hook created earlier (by an app's
 * own preload) stays as it is: slower start, same behaviour.
 */
export function replaceRequireInTheMiddle(): void {
  installLoadHook();
  replacingRitm = true;
  for (const [filename, loaded] of Object.entries(require.cache)) {
    if (loaded !== undefined) replaceRitmHook(loaded.exports, filename);
  }
}
