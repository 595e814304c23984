/**
 * The failures the CLI reports, each tied to one exit code. Every message is a
 * single line that names what was given and what to do; main.ts prints it as
 * `o4o-otel: <message>`. A backend that does not answer, or answers with an
 * error, is a BackendError of the clients (@o4o/backends), reported with exit 3.
 */
import { BackendError } from '@o4o/backends';

/** Exit codes scripts can rely on (documented in README.md). */
export const EXIT = Object.freeze({
  ok: 0,
  /** doctor found problems; trace id absent; find matched nothing. */
  notFound: 1,
  /** Malformed arguments: unknown flag or command, bad trace id, bad duration or URL. */
  usage: 2,
  /** A backend the command needs did not answer, or answered with an error. */
  backend: 3,
});

export type ErrorCode = 'usage' | 'not_found' | 'backend_unreachable' | 'backend_error';

export abstract class CliError extends Error {
  abstract readonly exitCode: number;
  abstract readonly code: ErrorCode;
  /** Extra fields for `--json` error output. */
  details(): Record<string, string> {
    return {};
  }
}

export class UsageError extends CliError {
  readonly exitCode = EXIT.usage;
  readonly code = 'usage';
}

export class NotFoundError extends CliError {
  readonly exitCode = EXIT.notFound;
  readonly code = 'not_found';
}

/** A failure to report in one line with its exit code, or undefined for a bug. */
export interface Reported {
  readonly exitCode: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Record<string, string>;
}

export function reported(error: unknown): Reported | undefined {
  if (error instanceof CliError) return { exitCode: error.exitCode, code: error.code, message: error.message, details: error.details() };
  if (error instanceof BackendError) return { exitCode: EXIT.backend, code: error.code, message: error.message, details: error.details() };
  return undefined;
}
