/**
 * Flushing on the way out, without changing how the app exits: whatever would
 * have ended the process without us still ends it, after the flush (at most
 * O4O_OTEL_SHUTDOWN_TIMEOUT_MS later); whatever would not have ended it still
 * does not.
 *
 * Why we step aside when a termination signal arrives: other listeners decide
 * by looking at the listener list. signal-exit (v3 and v4; used by execa,
 * write-file-atomic and many loggers) re-raises the signal only when its own
 * listeners are the only ones left, so with ours in the list it waited for us
 * while we waited for "the app's handler", and the process never ended.
 * Recognising signal-exit would fix one library; instead our listener, installed
 * first, removes itself before the others run, so each of them sees exactly
 * what it would see without us and does what it would do. We only hold back the
 * two ways they end the process, `process.exit()` and the process signalling
 * itself (signal-exit's re-raise), until the flush is done.
 *
 * - No other listener: flush, then die of the same signal.
 * - Other listeners that exit or re-raise: they wait for the flush.
 * - Other listeners that only close their servers: the loop drains (our timers
 *   and the metrics server are unref'd) and `beforeExit` flushes.
 * - Other listeners that keep the process running: it keeps running, flushed.
 * - A second signal while flushing: ends at once.
 */
import { constants } from 'node:os';
import type { Telemetry } from './telemetry';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type TerminationSignal = (typeof SIGNALS)[number];

/** The parts of `process` this module touches, so tests can pass a fake. */
export type ProcessLike = Pick<NodeJS.Process, 'prependListener' | 'on' | 'removeListener' | 'listenerCount' | 'kill' | 'exit' | 'exitCode' | 'pid'>;

function signalName(signal: string | number | undefined): string | undefined {
  if (signal === undefined) return 'SIGTERM';
  if (typeof signal === 'string') return signal;
  return Object.entries(constants.signals).find(([, n]) => n === signal)?.[0];
}

export function installShutdownHooks(telemetry: Telemetry, proc: ProcessLike = process): void {
  const realExit = proc.exit.bind(proc) as (code?: number | string | null) => never;
  const realKill = proc.kill.bind(proc);
  let signals = 0;
  let drained = false;
  let endPending = false;

  /** Ends the process once telemetry is flushed; at once when it is already on its way out. */
  const endAfterFlush = (end: () => void): void => {
    if (endPending || signals > 1 || drained) {
      end();
      return;
    }
    endPending = true;
    void telemetry.shutdown().then(end);
  };

  const exitAfterFlush = ((code?: number | string | null): never => {
    endAfterFlush(() => realExit(code));
    return undefined as never;
  }) as typeof proc.exit;

  const killAfterFlush = ((pid: number, signal?: string | number): true => {
    const name = signalName(signal);
    if (Number(pid) === proc.pid && (name === 'SIGTERM' || name === 'SIGINT')) {
      endAfterFlush(() => realKill(pid, signal));
      return true;
    }
    return realKill(pid, signal);
  }) as typeof proc.kill;

  const onSignal = (signal: TerminationSignal): void => {
    // Step aside before the other listeners run (see the top of this file).
    proc.removeListener(signal, listeners[signal]);
    signals += 1;
    if (signals === 1) {
      proc.exit = exitAfterFlush;
      proc.kill = killAfterFlush;
    }
    if (proc.listenerCount(signal) > 0) {
      // Theirs to decide; whatever they do, what is buffered goes out now.
      if (signals === 1) void telemetry.forceFlush();
      return;
    }
    // Nobody else listens: without us this signal would have ended the process.
    endAfterFlush(() => realKill(proc.pid, signal));
  };

  const listeners: Record<TerminationSignal, () => void> = {
    SIGTERM: () => onSignal('SIGTERM'),
    SIGINT: () => onSignal('SIGINT'),
  };
  // Prepended, so that we go first even after listeners of an earlier --require.
  for (const s of SIGNALS) proc.prependListener(s, listeners[s]);

  proc.on('beforeExit', () => {
    if (drained || endPending) return;
    drained = true;
    void telemetry.shutdown();
  });
}
