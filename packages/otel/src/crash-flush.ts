/**
 * The last words of a dying process: on an uncaught exception or unhandled
 * rejection that ends it, and on `process.exit()` called by the app, what the
 * processors queue and the retry buffers hold is delivered before the process
 * ends, within O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS.
 *
 * Node's own behaviour must not change (exit code, its printout of the error, no
 * app code after `process.exit`), so nothing here is asynchronous and no
 * `uncaughtException` listener is added (one would stop Node from exiting):
 * - `uncaughtExceptionMonitor` runs before Node's handling and sees the error in
 *   the failing code's context: the request being served is ended with it.
 * - `exit` runs synchronously after either path: the queues are serialized on the
 *   spot (the exporters do it synchronously) and the request bodies go to a
 *   worker thread, which POSTs them while this thread waits in `Atomics.wait`.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { context, trace, SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/sdk-trace';
import type { QueueDrain } from './bounded-processors';
import type { RetryBuffer } from './export-buffer';
import type { OtlpRequest } from './otlp-post';
import type { Report } from './diagnostics';
import { OpenServerSpans } from './open-server-spans';

/** What the worker is given; see crash-flush-worker.ts. */
export interface CrashFlushWork {
  /** One list per signal, each delivered in order; the lists in parallel. */
  readonly groups: readonly (readonly OtlpRequest[])[];
  readonly timeoutMillis: number;
  /** [0]: 1 once the worker is done; [1]: requests delivered. */
  readonly state: Int32Array;
}

export interface CrashFlushResult {
  readonly requests: number;
  readonly delivered: number;
  readonly millis: number;
  readonly timedOut: boolean;
}

/** The parts of the pipeline a crash flush reaches into, registered as they are built. */
export class CrashFlush {
  readonly openServerSpans = new OpenServerSpans();
  private readonly queues: QueueDrain[] = [];
  private readonly buffers: RetryBuffer[] = [];
  private stoodDown = false;

  addQueue(queue: QueueDrain): void {
    this.queues.push(queue);
  }

  addBuffer(buffer: RetryBuffer): void {
    this.buffers.push(buffer);
  }

  /** A shutdown has begun: its own deadline governs, and the exit must not wait a second time. */
  standDown(): void {
    this.stoodDown = true;
  }

  get active(): boolean {
    return !this.stoodDown;
  }

  /**
   * Ends the request that `error` broke, in the context where it was thrown:
   * the active span and its trace's server span get the exception event and
   * status ERROR.
   */
  recordFatalError(error: unknown): void {
    const active = trace.getSpan(context.active()) as (Span & { kind?: number }) | undefined;
    const failedTraceId = active?.spanContext().traceId;
    if (active?.isRecording() && !this.openServerSpans.has(active)) {
      active.recordException(error instanceof Error ? error : String(error));
      active.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      active.end();
    }
    this.openServerSpans.endAll('the process crashed before responding', error, failedTraceId);
  }

  /** Synchronously delivers everything held, waiting at most `timeoutMillis`. */
  flushSync(why: string, timeoutMillis: number): CrashFlushResult | undefined {
    if (this.stoodDown) return undefined;
    this.stoodDown = true;
    const started = Date.now();
    this.openServerSpans.endAll(why);
    for (const queue of this.queues) queue.exportQueuedNow();
    const groups = this.buffers.map((b) => b.takeUndelivered()).filter((g) => g.length > 0);
    const requests = groups.reduce((n, g) => n + g.length, 0);
    if (requests === 0) return undefined;

    const state = new Int32Array(new SharedArrayBuffer(8));
    const work: CrashFlushWork = { groups, timeoutMillis, state };
    // No preload in the worker (execArgv), and its output kept from this thread, which can no longer pump it.
    const worker = new Worker(join(__dirname, 'crash-flush-worker.js'), { workerData: work, execArgv: [], stdout: true, stderr: true });
    const outcome = Atomics.wait(state, 0, 0, timeoutMillis);
    void worker.terminate();
    return { requests, delivered: Atomics.load(state, 1), millis: Date.now() - started, timedOut: outcome === 'timed-out' };
  }
}

/** The parts of `process` this module touches, so tests can pass a fake. */
export type CrashProcess = Pick<NodeJS.Process, 'on' | 'listenerCount'>;

export function installCrashFlush(crash: CrashFlush, timeoutMillis: number, say: Report, proc: CrashProcess = process): void {
  if (timeoutMillis <= 0) return;
  let fatal: { error: unknown; origin: string } | undefined;

  proc.on('uncaughtExceptionMonitor', (error: Error, origin: string) => {
    // An app handler of its own keeps the process alive: nothing is ending.
    if (proc.listenerCount('uncaughtException') > 0) return;
    fatal = { error, origin };
    try {
      crash.recordFatalError(error);
    } catch {
      // never stand between Node and its own error handling
    }
  });

  proc.on('exit', (code: number) => {
    if (!crash.active) return;
    const why = fatal ? (fatal.origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception') : `process.exit(${code})`;
    try {
      const result = crash.flushSync(`the process ended (${why}) before responding`, timeoutMillis);
      if (result === undefined) return;
      const lost = result.requests - result.delivered;
      say(
        `process ending (${why}): delivered ${result.delivered} of ${result.requests} export requests in ${result.millis} ms` +
          (lost > 0 ? `; ${lost} lost${result.timedOut ? ` at the ${timeoutMillis} ms deadline (O4O_OTEL_CRASH_FLUSH_TIMEOUT_MS)` : ''}` : ''),
      );
    } catch (error) {
      say(`process ending (${why}): could not deliver what was held (${(error as Error)?.message ?? String(error)})`);
    }
  });
}
