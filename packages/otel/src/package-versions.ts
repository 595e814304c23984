/**
 * The instrumentation base class reads and parses a package's package.json on
 * every file of that package that is required, to check the version: TypeORM
 * alone is 295 files, so its package.json was parsed 295 times at startup,
 * ~40 ms. A package's version does not change while the process runs: the
 * first answer per package folder is kept.
 *
 * `_extractPackageVersion` is internal to @opentelemetry/instrumentation
 * (pinned at 0.301.0). If a later version renames it, nothing is replaced and
 * startup is only slower.
 */
import { InstrumentationBase } from '@opentelemetry/instrumentation';

type VersionReader = (this: unknown, baseDir: string) => string | undefined;
const MEMOIZED = Symbol.for('@o4o/otel.memoized-package-versions');

export function rememberPackageVersions(): void {
  const proto = InstrumentationBase.prototype as unknown as { _extractPackageVersion?: VersionReader & { [MEMOIZED]?: true } };
  const read = proto._extractPackageVersion;
  if (typeof read !== 'function' || read[MEMOIZED]) return;
  const versions = new Map<string, string | undefined>();
  const remembered = function (this: unknown, baseDir: string): string | undefined {
    if (versions.has(baseDir)) return versions.get(baseDir);
    const version = read.call(this, baseDir);
    versions.set(baseDir, version);
    return version;
  } as VersionReader & { [MEMOIZED]?: true };
  remembered[MEMOIZED] = true;
  proto._extractPackageVersion = remembered;
}
