/**
 * Which mounts a request went through, at little cost per request.
 *
 * When the app registers a router (or any handler) under a path with
 * `use(path, ...)`, its Layer gets an own `handleRequest` (`handle_request` on
 * Express 4) that knows the mount pattern: only those layers, and only for
 * requests that reach them, do any work here. Entering one sets two properties
 * on the request (the interned chain node, see route-templates.ts, and
 * `req.baseUrl` as the router set it); the `next` it passes on restores them
 * when the request leaves the mount. `use(fn)` and `use('/', fn)` mount
 * nothing a template needs, and their layers are left as they are.
 *
 * `route(path)` records the patterns of the route's path on the Route, so that
 * a route with several paths reports the one that matched.
 *
 * A request whose `req.baseUrl` is not the one seen on entering its innermost
 * known mount went through a mount not seen here (a layer pushed onto a stack
 * by hand, a router built before the instrumentation started): its route
 * cannot be known, and it gets none.
 */
import { diag } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { elementFor, joinedElement, patternElements, ROOT, type MountNode, type PatternElement, type PatternMatcher, type RouteEntry } from './route-templates';

type Next = (error?: unknown) => void;
type Handle = (this: LayerLike, req: IncomingMessage, res: ServerResponse, next: Next) => unknown;

export interface LayerLike {
  handleRequest?: Handle;
  handle_request?: Handle;
  route?: unknown;
}

type LayerConstructor = new (path: unknown, options: object, fn: Handle) => PatternMatcher;

export interface RouterLike {
  readonly stack?: LayerLike[];
  readonly caseSensitive?: boolean;
  readonly strict?: boolean;
}

const CHAIN = Symbol('o4o.express.mount-chain');
const BASE = Symbol('o4o.express.mount-base');

type MountedRequest = IncomingMessage & { baseUrl?: unknown; url?: string; [CHAIN]?: MountNode; [BASE]?: unknown };

function noop(): void {}

/** A Layer of the same router copy, for telling which pattern of an array matched. */
function matcherMaker(layer: LayerLike, options: object): ((path: unknown) => PatternMatcher | undefined) | undefined {
  const Layer = (layer as { constructor?: unknown }).constructor;
  if (typeof Layer !== 'function') return undefined;
  return (path) => {
    try {
      return new (Layer as LayerConstructor)(path, options, noop);
    } catch {
      return undefined;
    }
  };
}

/** The path `use()` was given, as Express reads its arguments; undefined for a root mount. */
function usePath(args: readonly unknown[]): unknown {
  const first = args[0];
  if (typeof first === 'function') return undefined;
  let arg = first;
  while (Array.isArray(arg) && arg.length !== 0) arg = arg[0];
  if (typeof arg === 'function') return undefined;
  return first === '/' || first === '' ? undefined : first;
}

/** Gives the layers `use()` just added under a path their mount pattern. */
export function recordMounts(router: RouterLike, args: readonly unknown[], stackLengthBefore: number): void {
  const path = usePath(args);
  const stack = router.stack;
  if (path === undefined || !Array.isArray(stack) || stack.length <= stackLengthBefore) return;
  const first = stack[stackLengthBefore]!;
  const elements = patternElements(path, true, matcherMaker(first, { sensitive: router.caseSensitive, strict: false, end: false }));
  if (elements === undefined) return;
  const joined = joinedElement(elements);
  for (let i = stackLengthBefore; i < stack.length; i++) mount(stack[i]!, elements, joined);
}

function mount(layer: LayerLike, elements: readonly PatternElement[], joined: PatternElement): void {
  const method = typeof layer.handleRequest === 'function' ? 'handleRequest' : typeof layer.handle_request === 'function' ? 'handle_request' : undefined;
  if (method === undefined) return;
  // The prototype's method, looked up per call: a later patch of the prototype still applies.
  const proto = Object.getPrototypeOf(layer) as LayerLike;
  if (typeof proto[method] !== 'function') return;
  layer[method] = function mounted(this: LayerLike, req: IncomingMessage, res: ServerResponse, next: Next): unknown {
    const request = req as MountedRequest;
    const outer = request[CHAIN];
    const outerBase = request[BASE];
    const baseUrl = request.baseUrl;
    let inner: MountNode;
    try {
      // Of several patterns, the one that matched the part of baseUrl after the outer mount's.
      const matched = elements.length > 1 && typeof baseUrl === 'string' ? baseUrl.slice(typeof outerBase === 'string' ? outerBase.length : 0) : undefined;
      inner = (outer ?? ROOT).child(elementFor(elements, joined, matched));
    } catch (error) {
      diag.debug('express: could not follow a mount', error);
      return proto[method]!.call(this, req, res, next);
    }
    request[CHAIN] = inner;
    request[BASE] = baseUrl;
    return proto[method]!.call(this, req, res, function leave(error?: unknown) {
      request[CHAIN] = outer;
      request[BASE] = outerBase;
      next(error);
    });
  };
}

/** A route's patterns, kept on the Route itself (a property read is cheaper than a WeakMap's). */
const ROUTE_PATTERNS = Symbol('o4o.express.route-patterns');

interface RoutePatterns {
  readonly elements: readonly PatternElement[];
  readonly joined: PatternElement;
}

type PatternedRoute = { readonly path?: unknown; [ROUTE_PATTERNS]?: RoutePatterns | null };

function elementsOfRoute(route: PatternedRoute, matcherFor?: (path: unknown) => PatternMatcher | undefined): RoutePatterns | undefined {
  let known = route[ROUTE_PATTERNS];
  if (known === undefined) {
    const elements = patternElements(route.path, false, matcherFor);
    known = elements === undefined ? null : { elements, joined: joinedElement(elements) };
    route[ROUTE_PATTERNS] = known;
  }
  return known ?? undefined;
}

/** Records the patterns of the route `route()` just added (matchers for a route with several paths). */
export function recordRoute(router: RouterLike, route: unknown): void {
  const stack = router.stack;
  const layer = Array.isArray(stack) ? stack[stack.length - 1] : undefined;
  if (typeof route !== 'object' || route === null || layer === undefined || layer.route !== route) return;
  elementsOfRoute(route as PatternedRoute, matcherMaker(layer, { sensitive: router.caseSensitive, strict: router.strict, end: true }));
}

/** The pathname the route was matched against (relative to its router). */
function routerPath(request: MountedRequest): string | undefined {
  const url = request.url;
  if (typeof url !== 'string') return undefined;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The template and attributes of `route` for this request, or undefined when they cannot be known. */
export function routeEntryFor(route: PatternedRoute, req: IncomingMessage): RouteEntry | undefined {
  const request = req as MountedRequest;
  const base = request.baseUrl;
  const seen = request[BASE];
  if (base !== undefined && base !== '' && base !== seen) return undefined;
  const patterns = elementsOfRoute(route);
  if (patterns === undefined) return undefined;
  const element = elementFor(patterns.elements, patterns.joined, patterns.elements.length > 1 ? routerPath(request) : undefined);
  return (request[CHAIN] ?? ROOT).route(element);
}
