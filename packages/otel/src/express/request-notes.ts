/**
 * What the Express instrumentation leaves on a request for the SERVER span
 * (http-server/), which reads it when the response finishes: the route
 * template that matched, and the type of the error the route passed on. Two
 * symbol properties, so neither module needs the other's internals.
 */
import type { IncomingMessage } from 'node:http';

const ROUTE = Symbol('o4o.express.route');
const ERROR_TYPE = Symbol('o4o.express.error-type');

type NotedRequest = IncomingMessage & { [ROUTE]?: string | null; [ERROR_TYPE]?: string };

/** Notes the template of the route that matched; null when it cannot be known (never a raw path). */
export function noteRoute(request: IncomingMessage, template: string | null): void {
  (request as NotedRequest)[ROUTE] = template;
}

/**
 * The template noted for this request: a string, null when a route matched
 * but its template could not be known, undefined when nothing was noted
 * (no route matched, or the Express instrumentation is off).
 */
export function notedRoute(request: IncomingMessage): string | null | undefined {
  return (request as NotedRequest)[ROUTE];
}

/** Longest class name kept as `error.type`; a longer one is not a class name a reader wants. */
const MAX_TYPE_LENGTH = 100;

/** The class of an error (`TypeError`, `QueryFailedError`): bounded by the code, unlike its message. */
export function errorClassOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const name = (error.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' && name.length <= MAX_TYPE_LENGTH ? name : undefined;
}

/** Notes the error a route passed on (`next(err)` or a throw), for `error.type` if the answer is a 5xx. */
export function noteError(request: IncomingMessage, error: unknown): void {
  const type = errorClassOf(error);
  if (type !== undefined) (request as NotedRequest)[ERROR_TYPE] = type;
}

/** The class of the last error a route of this request passed on, if any. */
export function notedErrorType(request: IncomingMessage): string | undefined {
  return (request as NotedRequest)[ERROR_TYPE];
}
