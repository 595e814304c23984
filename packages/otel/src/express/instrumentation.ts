/**
 * One INTERNAL `request handler` span per request that Express routed, from one
 * wrap of `Route.prototype.dispatch` (router 2 for Express 5, Express 4's own
 * route.js), instead of instrumentation-express, which wraps the `handle` of
 * every layer (each middleware, router and route) and keeps a stack of layer
 * paths on the request to rebuild the route. Middleware spans were already
 * off, so the tree is the same: SERVER span, then the handler, then its work.
 *
 * The span starts when the route matches and ends when the route passes the
 * request on (`next()`, `next(err)`: an error is recorded) or when the
 * response finishes, just before the SERVER span (http-server/). Its context is
 * the handler's, so database and outgoing calls are its children. Attributes
 * are built once per route and mount path. Nothing happens for a request
 * outside a recording SERVER span (unsampled, ignored, or not HTTP).
 *
 * Express is imported by type only; the hooks are on the internal files that
 * `express` loads with `require`, so `--require` and `--import` apps alike.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DISTRIBUTION_VERSION } from '../version';
import { endWithResponse } from '../http-server/instrumentation';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';

export const EXPRESS_INSTRUMENTATION_NAME = '@o4o/otel/express';

interface RouteLike {
  readonly path?: unknown;
  dispatch(this: RouteLike, req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void): unknown;
}

type Dispatch = RouteLike['dispatch'];
type RouteModule = { prototype?: Partial<RouteLike> } | undefined;

/** What `next` may be called with that is not an error. */
function isError(value: unknown): boolean {
  return value !== undefined && value !== null && value !== 'route' && value !== 'router';
}

function template(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return path.toString();
  if (Array.isArray(path)) return path.map(String).join(',');
  return undefined;
}

/** The handler span's attributes, one object per route and mount path. */
const attributesByRoute = new WeakMap<RouteLike, Map<string, Attributes>>();

function handlerAttributes(route: RouteLike, baseUrl: string): Attributes {
  let byBase = attributesByRoute.get(route);
  if (byBase === undefined) attributesByRoute.set(route, (byBase = new Map()));
  let attributes = byBase.get(baseUrl);
  if (attributes === undefined) {
    const path = template(route.path) ?? '';
    const full = baseUrl === '' ? path : path === '/' ? baseUrl : baseUrl + path;
    attributes = Object.freeze({ [ATTR_HTTP_ROUTE]: full, 'express.name': full, 'express.type': 'request_handler' });
    byBase.set(baseUrl, attributes);
  }
  return attributes;
}

export class ExpressInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  constructor(config: InstrumentationConfig = {}) {
    super(EXPRESS_INSTRUMENTATION_NAME, DISTRIBUTION_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const routeFile = (name: string): InstrumentationNodeModuleFile =>
      new InstrumentationNodeModuleFile(
        name,
        ['*'],
        (exports: RouteModule) => {
          this.patchRoute(exports);
          return exports;
        },
        (exports?: RouteModule) => {
          if (exports?.prototype && isWrapped(exports.prototype.dispatch)) this._unwrap(exports.prototype, 'dispatch');
        },
      );
    return [
      // Express 5 routes through the `router` package.
      new InstrumentationNodeModuleDefinition('router', ['>=2 <3'], undefined, undefined, [routeFile('router/lib/route.js')]),
      new InstrumentationNodeModuleDefinition('express', ['>=4 <5'], undefined, undefined, [routeFile('express/lib/router/route.js')]),
    ];
  }

  private patchRoute(exports: RouteModule): void {
    const proto = exports?.prototype;
    if (!proto || typeof proto.dispatch !== 'function') return;
    if (isWrapped(proto.dispatch)) this._unwrap(proto, 'dispatch');
    this._wrap(proto as RouteLike, 'dispatch', (original: Dispatch) => this.dispatchPatch(original));
  }

  private dispatchPatch(original: Dispatch): Dispatch {
    const tracer = (): ReturnType<typeof trace.getTracer> => this.tracer;
    return function dispatch(this: RouteLike, req, res, done) {
      const parent = context.active();
      const parentSpan = trace.getSpan(parent);
      if (parentSpan === undefined || !parentSpan.isRecording()) return original.call(this, req, res, done);
      const baseUrl = (req as IncomingMessage & { baseUrl?: unknown }).baseUrl;
      const span = tracer().startSpan('request handler', { kind: SpanKind.INTERNAL, attributes: handlerAttributes(this, typeof baseUrl === 'string' ? baseUrl : '') }, parent);
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        span.end();
      };
      const fail = (error: unknown): void => {
        if (ended) return;
        const exception = error instanceof Error ? error : String(error);
        span.recordException(exception);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      };
      // Without a traced response (a server not seen by http-server) the span ends when the route passes on.
      endWithResponse(res, end);
      const passOn = function (this: unknown, error?: unknown): unknown {
        if (isError(error)) fail(error);
        end();
        return context.with(parent, () => done.call(this, error));
      };
      try {
        return context.with(trace.setSpan(parent, span), () => original.call(this, req, res, passOn));
      } catch (error) {
        fail(error);
        end();
        throw error;
      }
    };
  }
}
