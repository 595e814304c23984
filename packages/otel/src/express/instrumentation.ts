/**
 * One INTERNAL `request handler` span per request that Express routed, from one
 * wrap of `Route.prototype.dispatch` (router 2 for Express 5, Express 4's own
 * route.js), instead of instrumentation-express, which wraps the `handle` of
 * every layer (each middleware, router and route) and keeps a stack of layer
 * paths on the request to rebuild the route. Middleware spans were already
 * off, so the tree is the same: SERVER span, then the handler, then its work.
 *
 * The route template comes from the patterns the app registered (mounts.ts,
 * route-templates.ts): `use()` and `route()` are wrapped, so a router mounted
 * at `/api/stores/:storeId` gives `/api/stores/:storeId/products/:productId`,
 * whatever the ids. It is noted on the request for every routed request,
 * sampled or not, for the SERVER span and the duration metric.
 *
 * The span starts when the route matches and ends when the route passes the
 * request on (`next()`) or when the response finishes, just before the SERVER
 * span (http-server/). An error passed on (`next(err)`, a throw) is recorded
 * as an `exception` event; whether the span failed is decided by the answer
 * (handler-outcome.ts): when the route passes an error on before answering,
 * the span keeps the time it was passed on as its end and takes its status
 * when the answer is known. Its context is the handler's, so database and
 * outgoing calls are its children. Nothing is traced for a request outside a
 * recording SERVER span (unsampled, ignored, or not HTTP).
 *
 * Express is imported by type only; the hooks are on the internal files that
 * `express` loads with `require`, so `--require` and `--import` apps alike.
 */
import { context, diag, SpanKind, trace, type Attributes, type HrTime, type Span } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DISTRIBUTION_VERSION } from '../version';
import { endWithResponse } from '../http-server/instrumentation';
import { outcomeStatus, recordError, settleStatus } from './handler-outcome';
import { recordMounts, recordRoute, routeEntryFor, type RouterLike } from './mounts';
import { noteError, noteRoute } from './request-notes';

export const EXPRESS_INSTRUMENTATION_NAME = '@o4o/otel/express';

interface RouteLike {
  readonly path?: unknown;
  dispatch(this: RouteLike, req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void): unknown;
}

type Dispatch = RouteLike['dispatch'];
type RouteModule = { prototype?: Partial<RouteLike> } | undefined;
type RouterMethod = (this: RouterLike, ...args: unknown[]) => unknown;
interface RouterMethods {
  use?: RouterMethod;
  route?: RouterMethod;
}
/** router 2 exports the Router constructor; Express 4's lib/router exports the prototype itself. */
type RouterModule = (RouterMethods & { prototype?: RouterMethods }) | undefined;

/** What `next` may be called with that is not an error. */
function isError(value: unknown): boolean {
  return value !== undefined && value !== null && value !== 'route' && value !== 'router';
}

/**
 * The span's start plus `millis`, on the span's own clock: an end time given
 * as a `performance.now()` reading is converted on another clock and can come
 * out before the start. Undefined (end now) for a span that shows no start.
 */
function timeAfterStart(span: Span, millis: number): HrTime | undefined {
  const start = (span as Span & { readonly startTime?: unknown }).startTime;
  if (!Array.isArray(start) || typeof start[0] !== 'number' || typeof start[1] !== 'number') return undefined;
  const nanos = start[1] + Math.round(Math.max(0, millis) * 1e6);
  return [start[0] + Math.floor(nanos / 1e9), nanos % 1e9];
}

/** A handler span's attributes when its route is not known: no `http.route`. */
const UNKNOWN_ROUTE: Attributes = Object.freeze({ 'express.type': 'request_handler' });

function usePatch(original: RouterMethod): RouterMethod {
  return function use(this: RouterLike, ...args: unknown[]): unknown {
    const before = Array.isArray(this.stack) ? this.stack.length : 0;
    const result = original.apply(this, args);
    try {
      recordMounts(this, args, before);
    } catch (error) {
      diag.debug('express: could not record a mount', error);
    }
    return result;
  };
}

function routePatch(original: RouterMethod): RouterMethod {
  return function route(this: RouterLike, ...args: unknown[]): unknown {
    const result = original.apply(this, args);
    try {
      recordRoute(this, result);
    } catch (error) {
      diag.debug('express: could not record a route', error);
    }
    return result;
  };
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
    const patchRouter = (exports: RouterModule, methods: RouterMethods | undefined): RouterModule => {
      this.patchRouterMethods(methods);
      return exports;
    };
    const unpatchRouter = (methods: RouterMethods | undefined): void => {
      if (methods === undefined) return;
      if (isWrapped(methods.use)) this._unwrap(methods, 'use');
      if (isWrapped(methods.route)) this._unwrap(methods, 'route');
    };
    return [
      // Express 5 routes through the `router` package.
      new InstrumentationNodeModuleDefinition(
        'router',
        ['>=2 <3'],
        (exports: RouterModule) => patchRouter(exports, exports?.prototype),
        (exports?: RouterModule) => unpatchRouter(exports?.prototype),
        [routeFile('router/lib/route.js')],
      ),
      new InstrumentationNodeModuleDefinition('express', ['>=4 <5'], undefined, undefined, [
        routeFile('express/lib/router/route.js'),
        new InstrumentationNodeModuleFile(
          'express/lib/router/index.js',
          ['*'],
          (exports: RouterModule) => patchRouter(exports, exports),
          (exports?: RouterModule) => unpatchRouter(exports),
        ),
      ]),
    ];
  }

  private patchRouterMethods(methods: RouterMethods | undefined): void {
    if (methods === undefined) return;
    if (typeof methods.use === 'function') {
      if (isWrapped(methods.use)) this._unwrap(methods, 'use');
      this._wrap(methods as Required<RouterMethods>, 'use', usePatch);
    }
    if (typeof methods.route === 'function') {
      if (isWrapped(methods.route)) this._unwrap(methods, 'route');
      this._wrap(methods as Required<RouterMethods>, 'route', routePatch);
    }
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
      let attributes = UNKNOWN_ROUTE;
      try {
        const entry = routeEntryFor(this, req);
        noteRoute(req, entry === undefined ? null : entry.template);
        if (entry !== undefined) attributes = entry.attributes;
      } catch (error) {
        noteRoute(req, null);
        diag.debug('express: could not build a route template', error);
      }
      const parent = context.active();
      const parentSpan = trace.getSpan(parent);
      if (parentSpan === undefined || !parentSpan.isRecording()) return original.call(this, req, res, done);
      const span = tracer().startSpan('request handler', { kind: SpanKind.INTERNAL, attributes }, parent);
      const startedAt = performance.now();
      let ended = false;
      /** An error passed on before the answer: the status waits for the answer. */
      let pending: { readonly error: unknown; readonly at: number } | undefined;
      const end = (): void => {
        if (ended) return;
        ended = true;
        if (pending !== undefined) {
          settleStatus(span, pending.error, outcomeStatus(res, pending.error));
          span.end(timeAfterStart(span, pending.at - startedAt));
        } else {
          span.end();
        }
      };
      // Without a traced response (a server not seen by http-server) the span ends when the route passes on.
      const traced = endWithResponse(res, end);
      const fail = (error: unknown): void => {
        if (ended) return;
        recordError(span, error);
        noteError(req, error);
        if (!res.headersSent && traced) {
          pending = { error, at: performance.now() };
          return;
        }
        settleStatus(span, error, outcomeStatus(res, error));
        end();
      };
      const passOn = function (this: unknown, error?: unknown): unknown {
        if (isError(error)) fail(error);
        else if (pending === undefined) end();
        return context.with(parent, () => done.call(this, error));
      };
      try {
        return context.with(trace.setSpan(parent, span), () => original.call(this, req, res, passOn));
      } catch (error) {
        fail(error);
        if (pending === undefined) end();
        throw error;
      }
    };
  }
}
