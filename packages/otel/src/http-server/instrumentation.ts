/**
 * HTTP server spans and `http.server.request.duration` from Node's own
 * diagnostics channels (`http.server.request.start`, `http.server.response.finish`),
 * instead of instrumentation-http's server side. That one wraps
 * `Server.prototype.emit`, binds both request and response emitters to the
 * context (patching five methods on each), parses the URL into a `URL` object
 * and computes attributes whether or not the span is sampled: about a third of
 * the CPU of a traced request. Here a request costs one span, one context
 * switch and one histogram record.
 *
 * - Context: the request's context is entered (`context.attach`, i.e.
 *   `AsyncLocalStorage.enterWith`) in the start subscriber, which runs
 *   synchronously just before the server emits `request`: the handler and
 *   everything it starts run under the SERVER span. Incoming W3C trace context
 *   is honoured. Each request enters its own context, so a kept-alive
 *   connection never hands one request's context to the next.
 * - Route: the template the Express instrumentation noted on the request
 *   (express/), read when the response finishes: no per-layer patching.
 * - Attributes are built only for a span that records (sampled).
 * - A connection closed before its response finished ends the span then.
 */
import { channel, type Channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  context,
  diag,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { DISTRIBUTION_VERSION } from '../version';
import { createDurationHistogram } from '../hot-metrics/meter-provider';
import type { DurationHistogram } from '../hot-metrics/hot-histogram';
import { MetricAttributeSets, normaliseMethod, requestAttributes, routeOf } from './attributes';
import { notedErrorType } from '../express/request-notes';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';

export const HTTP_SERVER_INSTRUMENTATION_NAME = '@o4o/otel/http-server';

export interface HttpServerInstrumentationConfig extends InstrumentationConfig {
  /** Requests for which this returns true are neither traced nor measured (probes, scrapes). */
  readonly isIgnored?: (url: string) => boolean;
}

/** What a request in progress carries until its response finishes. */
interface RequestState {
  readonly request: IncomingMessage;
  readonly span: Span;
  readonly method: string;
  readonly scheme: 'http' | 'https';
  readonly startedMillis: number;
  /** Spans of the request's own work that end with its response, before the SERVER span (see endWithResponse). */
  enders?: (() => void)[];
}

interface RequestMessage {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly socket: Socket;
}

const STATE = Symbol('o4o.http-server.request');
const CURRENT = Symbol('o4o.http-server.current-response');

type Tracked = ServerResponse & { [STATE]?: RequestState };
type TrackedSocket = Socket & { [CURRENT]?: Tracked; encrypted?: boolean };

/**
 * Runs `end` when the response to a traced request finishes (or its connection
 * closes), just before the SERVER span ends: for a span such as Express's route
 * handler, which usually ends by responding, without a listener per request.
 * Returns false when the request is not traced here; the caller ends it itself.
 */
export function endWithResponse(response: ServerResponse, end: () => void): boolean {
  const state = (response as Tracked)[STATE];
  if (state === undefined) return false;
  (state.enders ??= []).push(end);
  return true;
}

export class HttpServerInstrumentation implements Instrumentation<HttpServerInstrumentationConfig> {
  readonly instrumentationName = HTTP_SERVER_INSTRUMENTATION_NAME;
  readonly instrumentationVersion = DISTRIBUTION_VERSION;
  private config: HttpServerInstrumentationConfig;
  private tracer: Tracer;
  private duration: DurationHistogram | undefined;
  private readonly metricAttributes = new MetricAttributeSets();
  private readonly started: Channel = channel('http.server.request.start');
  private readonly finished: Channel = channel('http.server.response.finish');
  private enabled = false;

  constructor(config: HttpServerInstrumentationConfig = {}) {
    this.config = config;
    this.tracer = trace.getTracer(HTTP_SERVER_INSTRUMENTATION_NAME, DISTRIBUTION_VERSION);
  }

  setTracerProvider(provider: TracerProvider): void {
    this.tracer = provider.getTracer(HTTP_SERVER_INSTRUMENTATION_NAME, DISTRIBUTION_VERSION);
  }

  setMeterProvider(provider: MeterProvider): void {
    // Aggregated in process when the provider is ours (hot-metrics/): no attribute hashing per request, and trace exemplars.
    this.duration = createDurationHistogram(provider.getMeter(HTTP_SERVER_INSTRUMENTATION_NAME, DISTRIBUTION_VERSION), 'http.server.request.duration', {
      description: 'Duration of HTTP server requests.',
      unit: 's',
    });
  }

  getConfig(): HttpServerInstrumentationConfig {
    return { ...this.config, enabled: this.enabled };
  }

  setConfig(config: HttpServerInstrumentationConfig): void {
    this.config = config;
  }

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    this.started.subscribe(this.onRequestStart);
    this.finished.subscribe(this.onResponseFinish);
  }

  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.started.unsubscribe(this.onRequestStart);
    this.finished.unsubscribe(this.onResponseFinish);
  }

  private readonly onRequestStart = (message: unknown): void => {
    const { request, response, socket } = message as RequestMessage;
    try {
      this.start(request, response as Tracked, socket as TrackedSocket);
    } catch (error) {
      diag.debug('http-server: could not start a request span', error);
    }
  };

  private readonly onResponseFinish = (message: unknown): void => {
    try {
      this.finish((message as RequestMessage).response as Tracked);
    } catch (error) {
      diag.debug('http-server: could not end a request span', error);
    }
  };

  private start(request: IncomingMessage, response: Tracked, socket: TrackedSocket): void {
    if (this.config.isIgnored?.(request.url ?? '/') === true) {
      // Probes are not traced, nor is what they do (a readiness check querying the database).
      context.attach(suppressTracing(ROOT_CONTEXT));
      return;
    }
    const method = normaliseMethod(request.method);
    const scheme = socket?.encrypted === true ? 'https' : 'http';
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = this.tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
    // An unsampled request pays for no attributes.
    if (span.isRecording()) span.setAttributes(requestAttributes(request, scheme, method));
    response[STATE] = { request, span, method, scheme, startedMillis: performance.now() };
    if (socket !== undefined && socket !== null) {
      if (socket[CURRENT] === undefined) socket.once('close', () => this.onSocketClose(socket));
      socket[CURRENT] = response;
    }
    context.attach(trace.setSpan(parent, span));
  }

  /** A connection closed with its response unfinished (the client went away): the span ends now. */
  private onSocketClose(socket: TrackedSocket): void {
    const response = socket[CURRENT];
    socket[CURRENT] = undefined;
    if (response !== undefined) this.finish(response);
  }

  private finish(response: Tracked): void {
    const state = response[STATE];
    if (state === undefined) return;
    response[STATE] = undefined;
    const { request, span, method, scheme, enders } = state;
    if (enders !== undefined) {
      for (const end of enders) {
        try {
          end();
        } catch (error) {
          diag.debug('http-server: could not end a span of the request', error);
        }
      }
    }
    const status = response.statusCode;
    const route = routeOf(request);
    if (span.isRecording()) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (route !== undefined) {
        span.setAttribute(ATTR_HTTP_ROUTE, route);
        span.updateName(`${method} ${route}`);
      }
      if (status >= 500) {
        // The class of the error the framework was handed (TypeError), else the status.
        span.setAttribute(ATTR_ERROR_TYPE, notedErrorType(request) ?? String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    span.end();
    // The span's context: a sampled request becomes its bucket's exemplar.
    this.duration?.record((performance.now() - state.startedMillis) / 1000, this.metricAttributes.get(method, scheme, request.httpVersion, status, route), span.spanContext());
  }
}
