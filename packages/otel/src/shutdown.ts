/**
 * Flushing on the way out, without changing how the app exits.
 *
 * - SIGTERM/SIGINT and the app has no handler of its own: flush within the
 *   deadline, then die of the same signal, as the app would have without us.
 *   (The upstream register traps the signal and never exits.)
 * - The app has its own handler: leave exiting to it. Apps commonly close their
 *   server and then call `process.exit()`, which would drop what is buffered, so
 *   once a termination signal has arrived `process.exit` waits for the flush first.
 * - The event loop drains on its own: flush on `beforeExit`.
 * - A second signal while flushing exits at once.
 */
import type { Telemetry } from './telemetry';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type TerminationSignal = (typeof SIGNALS)[number];

/** The parts of `process` this module touches, so tests can pass a fake. */
export type ProcessLike = Pick<NodeJS.Process, 'on' | 'removeListener' | 'listenerCount' | 'kill' | 'exit' | 'exitCode' | 'pid'>;

export function installShutdownHooks(telemetry: Telemetry, proc: ProcessLike = process): void {
  const realExit = proc.exit.bind(proc) as (code?: number | string | null) => never;
  let signalled = false;
  let exiting = false;

  const exitAfterFlush = ((code?: number | string | null): never => {
    if (exiting) return realExit(code);
    exiting = true;
    void telemetry.shutdown().then(() => realExit(code ?? proc.exitCode ?? undefined));
    return undefined as never;
  }) as typeof proc.exit;

  const onSignal = (signal: TerminationSignal): void => {
    if (signalled) {
      // Second Ctrl-C: the operator wants out now.
      realExit(signal === 'SIGINT' ? 130 : 143);
      return;
    }
    signalled = true;
    const appHandlesIt = proc.listenerCount(signal) > 1;
    if (appHandlesIt) {
      proc.exit = exitAfterFlush;
      void telemetry.forceFlush();
      return;
    }
    void telemetry.shutdown().then(() => {
      for (const s of SIGNALS) proc.removeListener(s, listeners[s]);
      // Re-raise so the exit status says "killed by SIGTERM", exactly as without us.
      proc.kill(proc.pid, signal);
    });
  };

  const listeners: Record<TerminationSignal, () => void> = {
    SIGTERM: () => onSignal('SIGTERM'),
    SIGINT: () => onSignal('SIGINT'),
  };
  for (const s of SIGNALS) proc.on(s, listeners[s]);

  let drained = false;
  proc.on('beforeExit', () => {
    if (drained || exiting) return;
    drained = true;
    void telemetry.shutdown();
  });
}
