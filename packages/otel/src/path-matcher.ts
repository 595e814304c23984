/**
 * Matches request URLs against a list of paths; a trailing `/*` matches the
 * path and everything below it. The query string is never considered.
 */
export function createPathMatcher(paths: readonly string[]): (url: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const path of paths) {
    if (path.endsWith('/*')) {
      const base = path.slice(0, -2);
      exact.add(base === '' ? '/' : base);
      prefixes.push(`${base}/`);
    } else {
      exact.add(path);
    }
  }
  return (url: string): boolean => {
    const end = url.search(/[?#]/);
    const path = end === -1 ? url : url.slice(0, end);
    if (exact.has(path)) return true;
    for (const prefix of prefixes) if (path.startsWith(prefix)) return true;
    return false;
  };
}
