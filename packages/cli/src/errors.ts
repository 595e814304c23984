/**
 * The failures the CLI reports, each tied to one exit code. Every message is a
 * single line that names what was given and what to do; main.ts prints it as
 * `o4o-otel: <message>`.
 */

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

/** Where a backend is and how the user moves it: enough to write a useful message. */
export interface BackendRef {
  /** Human name: `Jaeger`, `the search node`, ... */
  readonly name: string;
  readonly url: string;
  /** What to do when it does not answer, e.g. `start the stack ... or set O4O_JAEGER_URL`. */
  readonly hint: string;
  readonly timeoutMillis: number;
}

export class BackendUnreachableError extends CliError {
  readonly exitCode = EXIT.backend;
  readonly code = 'backend_unreachable';
  constructor(
    readonly backend: BackendRef,
    readonly reason: string,
  ) {
    super(`${backend.name} at ${backend.url} is unreachable (${reason}); ${backend.hint}`);
  }
  override details(): Record<string, string> {
    return { backend: this.backend.name, url: this.backend.url, reason: this.reason };
  }
}

export class BackendFailedError extends CliError {
  readonly exitCode = EXIT.backend;
  readonly code = 'backend_error';
  constructor(
    readonly backend: BackendRef,
    readonly reason: string,
  ) {
    super(`${backend.name} at ${backend.url} failed: ${reason}`);
  }
  override details(): Record<string, string> {
    return { backend: this.backend.name, url: this.backend.url, reason: this.reason };
  }
}
