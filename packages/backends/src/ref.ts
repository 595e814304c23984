/**
 * Where a backend is, what to call it and what to tell a user when it does not
 * answer; and the two ways a request to it fails.
 */

export interface BackendRef {
  /** Human name: `Jaeger`, `the search node`, ... */
  readonly name: string;
  readonly url: string;
  /** What to do when it does not answer, e.g. `start the stack ... or set O4O_JAEGER_URL`; may be empty. */
  readonly hint: string;
  /** Deadline of each request. */
  readonly timeoutMillis: number;
}

export function backendRef(name: string, url: string, options: { hint?: string; timeoutMillis?: number } = {}): BackendRef {
  return { name, url, hint: options.hint ?? '', timeoutMillis: options.timeoutMillis ?? 10_000 };
}

/** A request to a backend that did not succeed; the message is one line naming the backend and its address. */
export abstract class BackendError extends Error {
  abstract readonly code: 'backend_unreachable' | 'backend_error';
  constructor(
    readonly backend: BackendRef,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
  /** The fields a machine-readable error report carries. */
  details(): Record<string, string> {
    return { backend: this.backend.name, url: this.backend.url, reason: this.reason };
  }
}

/** No HTTP answer at all: refused, reset, or none within the deadline. */
export class BackendUnreachableError extends BackendError {
  readonly code = 'backend_unreachable';
  constructor(backend: BackendRef, reason: string) {
    super(backend, reason, `${backend.name} at ${backend.url} is unreachable (${reason})${backend.hint ? `; ${backend.hint}` : ''}`);
  }
}

/** An answer, but not a usable one: an HTTP error status, or a body that is not what the API promises. */
export class BackendFailedError extends BackendError {
  readonly code = 'backend_error';
  constructor(backend: BackendRef, reason: string) {
    super(backend, reason, `${backend.name} at ${backend.url} failed: ${reason}`);
  }
}
