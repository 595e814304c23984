/**
 * Runs in a worker thread started by crash-flush.ts while the main thread waits:
 * POSTs each signal's requests in order, counts what was delivered, and wakes
 * the main thread. Loads node builtins and otlp-post only, no SDK.
 */
import { workerData } from 'node:worker_threads';
import { postOtlp } from './otlp-post';
import type { CrashFlushWork } from './crash-flush';

const { groups, timeoutMillis, state } = workerData as CrashFlushWork;

async function deliverInOrder(requests: CrashFlushWork['groups'][number]): Promise<void> {
  for (const request of requests) {
    const outcome = await postOtlp(request, timeoutMillis);
    // The collector is away: the next requests would only wait out the same deadline.
    if (outcome.kind === 'retryable') return;
    if (outcome.kind === 'delivered') Atomics.add(state, 1, 1);
  }
}

void Promise.all(groups.map(deliverInOrder)).finally(() => {
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
});
