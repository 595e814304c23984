/**
 * Route templates for routes under routers mounted at any pattern, built from
 * the patterns given to `use()` and `route()` when the app registered them,
 * never from the request's path: `req.baseUrl` is the path that matched the
 * mount (`/api/stores/700940`), not its pattern (`/api/stores/:storeId`).
 *
 * A request that enters a mounted router (see mounts.ts) moves down one node
 * of a tree of mount chains; the nodes are interned, one per chain of mount
 * patterns the app has, so a request allocates nothing here and a route's
 * template and span attributes are built once per chain. Every cache is
 * bounded (MAX_CACHED): past it, templates are built per request instead.
 */
import type { Attributes } from '@opentelemetry/api';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';

/** Something that tells whether a path matches one pattern: a throwaway Layer of the app's own router. */
export interface PatternMatcher {
  match(path: string): unknown;
}

/** One pattern of a `use()` or `route()` path (an array gives several). */
export interface PatternElement {
  /** As it joins a template: `/api/stores/:storeId`, a RegExp as its source text, '' for `/`. */
  readonly template: string;
  readonly matcher?: PatternMatcher;
}

/**
 * The patterns of a `use()` or `route()` path, one per element of an array
 * (nested arrays flattened, as Express does), or undefined for what Express
 * would not accept as a path. A mount pattern loses its trailing slash (Express
 * matches `/api/` as `/api`) and `/` becomes ''; a RegExp is its source text.
 */
export function patternElements(path: unknown, mount: boolean, matcherFor?: (path: unknown) => PatternMatcher | undefined): PatternElement[] | undefined {
  const paths: unknown[] = Array.isArray(path) ? path.flat(Infinity) : [path];
  if (paths.length === 0) return undefined;
  const elements: PatternElement[] = [];
  for (const one of paths) {
    let template: string;
    if (typeof one === 'string') template = mount ? one.replace(/\/+$/, '') : one;
    else if (one instanceof RegExp) template = one.toString();
    else return undefined;
    elements.push(paths.length > 1 && matcherFor !== undefined ? { template, matcher: matcherFor(one) } : { template });
  }
  return elements;
}

/** Several patterns as one, when which of them matched cannot be told: `/a/:x,/b/:y`. */
export function joinedElement(elements: readonly PatternElement[]): PatternElement {
  return elements.length === 1 ? elements[0]! : { template: elements.map((e) => e.template).join(',') };
}

/** A route template under a prefix: `/api` + `/items/:id`; a root route `/` under `/api` is `/api`. */
export function joinTemplate(prefix: string, route: string): string {
  if (prefix === '') return route;
  return route === '/' || route === '' ? prefix : prefix + route;
}

/** Most templates, chain nodes and attribute sets kept, over all routes and mounts. */
export const MAX_CACHED = 2_000;
let cached = 0;

/** How many entries the template caches hold (bounded by MAX_CACHED). */
export function cachedTemplateCount(): number {
  return cached;
}

/** What a request's handler span and SERVER span get for one route under one chain of mounts. */
export interface RouteEntry {
  readonly template: string;
  readonly attributes: Attributes;
}

function routeEntry(template: string): RouteEntry {
  return { template, attributes: Object.freeze({ [ATTR_HTTP_ROUTE]: template, 'express.name': template, 'express.type': 'request_handler' }) };
}

/** One chain of mount patterns from the app down to a router: its prefix and what is built under it. */
export class MountNode {
  private readonly children = new Map<PatternElement, MountNode>();
  private readonly routes = new Map<PatternElement, RouteEntry>();

  constructor(readonly prefix: string) {}

  /** The node one mount further down. */
  child(element: PatternElement): MountNode {
    const known = this.children.get(element);
    if (known !== undefined) return known;
    const node = new MountNode(joinTemplate(this.prefix, element.template));
    if (cached < MAX_CACHED) {
      cached++;
      this.children.set(element, node);
    }
    return node;
  }

  /** The template and attributes of a route (one pattern of it) under this chain. */
  route(element: PatternElement): RouteEntry {
    const known = this.routes.get(element);
    if (known !== undefined) return known;
    const entry = routeEntry(joinTemplate(this.prefix, element.template));
    if (cached < MAX_CACHED) {
      cached++;
      this.routes.set(element, entry);
    }
    return entry;
  }
}

/** The app's own router: no mount above it. */
export const ROOT = new MountNode('');

/**
 * The pattern of `elements` that `path` matches, tried in order as Express
 * does; with a single pattern no matching is done. When none matches (or a
 * matcher throws), the joined patterns: still a template, never the path.
 */
export function elementFor(elements: readonly PatternElement[], joined: PatternElement, path: string | undefined): PatternElement {
  if (elements.length === 1) return elements[0]!;
  if (path === undefined) return joined;
  try {
    for (const element of elements) if (element.matcher?.match(path)) return element;
  } catch {
    // A path Express cannot decode: it answers 400 itself.
  }
  return joined;
}
