/**
 * A read that never makes its caller wait longer than a timeout: a slow or
 * hanging source yields the last value it produced. While a read is still
 * pending no second one is started, so a stuck database does not pile up
 * queries one per scrape.
 */

export type CachedReadProblem = 'callback_timeout' | 'callback_failed';

export interface CachedReader<T> {
  /** The fresh value if it came within the timeout, otherwise the last one (undefined before the first). */
  read(): Promise<T | undefined>;
  /** The last value produced, without reading. */
  latest(): T | undefined;
}

export function createCachedReader<T>(
  source: () => T | Promise<T>,
  timeoutMillis: number,
  onProblem: (problem: CachedReadProblem, error?: unknown) => void,
): CachedReader<T> {
  let last: T | undefined;
  let pending: Promise<void> | undefined;

  const start = (): Promise<void> => {
    const run = (async () => {
      // Yield first, so `pending` is set before a source that throws synchronously clears it.
      await Promise.resolve();
      try {
        last = await source();
      } catch (error) {
        onProblem('callback_failed', error);
      } finally {
        pending = undefined;
      }
    })();
    pending = run;
    return run;
  };

  return {
    latest: () => last,
    read: async () => {
      if (pending !== undefined) return last;
      const run = start();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        run.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMillis);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) onProblem('callback_timeout');
      return last;
    },
  };
}
