/** What a command hands back to main.ts: text or JSON for stdout, warnings for stderr, an exit code. */
import { EXIT, reported } from './errors';

export interface Outcome {
  readonly exitCode: number;
  /** Human output, one entry per line. */
  readonly lines: readonly string[];
  /** The same content for `--json`. */
  readonly json: unknown;
  /** One-line notes for stderr: a secondary source that failed, an empty result. */
  readonly warnings: readonly string[];
}

export function outcome(lines: readonly string[], json: unknown, warnings: readonly string[] = [], exitCode: number = EXIT.ok): Outcome {
  return { exitCode, lines, json, warnings };
}

/** Runs a secondary lookup; a backend failure becomes a warning instead of ending the command. */
export async function secondary<T>(lookup: () => Promise<T>, warnings: string[]): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    const failure = reported(error);
    if (failure === undefined) throw error;
    warnings.push(failure.message);
    return undefined;
  }
}
