/**
 * Serialized export requests of one signal, delivered in order, exactly once,
 * surviving collector outages.
 *
 * Requests that fail with a retryable error stay at the head and are sent again
 * after a capped, jittered exponential backoff; nothing behind them overtakes
 * them. Memory is bounded in bytes of serialized request bodies: when a new
 * request does not fit, the oldest are evicted and counted as `buffer_full`. At
 * most one request is on the wire at a time, so the bound is the budget plus
 * that one body. A request the collector refuses for good is counted as
 * `rejected` and never sent again.
 */
import type { Agent } from 'node:http';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { postOtlp, type OtlpRequest, type PostOutcome, type TlsMaterial } from './otlp-post';
import type { Report } from './diagnostics';
import type { DropCounter } from './self-telemetry';
import type { TelemetrySignal } from './telemetry-registry';

export interface RetryBufferOptions {
  readonly signal: TelemetrySignal;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly maxBytes: number;
  readonly countDropped: DropCounter;
  /** Where retryable failures are reported (throttled by the caller). */
  readonly reportFailure: Report;
  /** Items the collector refused in a partial success, read from its answer. */
  readonly rejectedInResponse?: (response: Uint8Array) => number;
  readonly agent?: Agent;
  readonly tls?: TlsMaterial;
  /** For tests: the request function and the clock of the backoff. */
  readonly post?: (request: OtlpRequest, timeoutMillis: number, agent: Agent | undefined, onHandedOff: () => void) => Promise<PostOutcome>;
  readonly random?: () => number;
}

/** First wait after a failure; doubled on each further failure, up to the cap. */
export const INITIAL_BACKOFF_MILLIS = 1_000;
/** A collector back from an outage is found within this long (plus jitter). */
export const MAX_BACKOFF_MILLIS = 15_000;
/** Up to 20% shorter, so that instances failing together do not retry in step, and never beyond the cap. */
const JITTER = 0.2;

interface Pending {
  readonly body: Uint8Array;
  readonly items: number;
  /** On the wire right now. */
  sending: boolean;
  /** The whole body has been handed to the OS during the current attempt. */
  handedOff: boolean;
  /** Evicted while on the wire: dropped if this attempt fails, not retried. */
  evicted: boolean;
}

export class RetryBuffer {
  private readonly queue: Pending[] = [];
  private bytes = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly options: RetryBufferOptions) {}

  get signal(): TelemetrySignal {
    return this.options.signal;
  }

  /** Bytes held, not counting an evicted request still on the wire. */
  get heldBytes(): number {
    return this.bytes;
  }

  get heldRequests(): number {
    return this.queue.filter((p) => !p.evicted).length;
  }

  /** Takes a serialized request of `items` items; delivery happens in the background. */
  enqueue(body: Uint8Array, items: number): void {
    if (this.stopped) return;
    if (body.byteLength > this.options.maxBytes) {
      this.options.countDropped(this.options.signal, 'buffer_full', items);
      return;
    }
    while (this.bytes + body.byteLength > this.options.maxBytes) this.evictOldest();
    this.queue.push({ body, items, sending: false, handedOff: false, evicted: false });
    this.bytes += body.byteLength;
    this.pump();
  }

  /** Resolves once everything held has been delivered or dropped (callers bound the wait). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * For a dying process: stops sending and hands over the requests that have not
   * reached the collector, oldest first. A request whose body already went to the
   * OS is left out: the collector will get it, and sending it again would
   * deliver it twice.
   */
  takeUndelivered(): OtlpRequest[] {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const taken = this.queue.filter((p) => !p.evicted && !(p.sending && p.handedOff));
    this.queue.length = 0;
    this.bytes = 0;
    return taken.map((p) => this.request(p.body));
  }

  private request(body: Uint8Array): OtlpRequest {
    return { url: this.options.url, headers: this.options.headers, body, ...(this.options.tls === undefined ? {} : { tls: this.options.tls }) };
  }

  private evictOldest(): void {
    const index = this.queue.findIndex((p) => !p.evicted);
    const oldest = this.queue[index]!;
    this.bytes -= oldest.body.byteLength;
    if (oldest.sending) {
      // Cannot be recalled from the wire: dropped only if this attempt fails.
      oldest.evicted = true;
      return;
    }
    this.queue.splice(index, 1);
    this.options.countDropped(this.options.signal, 'buffer_full', oldest.items);
  }

  private pump(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const head = this.queue[0];
    if (head === undefined) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    if (head.sending) return;
    head.sending = true;
    head.handedOff = false;
    const post = this.options.post ?? postOtlp;
    // Our own requests must not be traced or measured by the http instrumentation: that would feed on itself.
    const sent = context.with(suppressTracing(context.active()), () =>
      post(this.request(head.body), this.options.timeoutMillis, this.options.agent, () => (head.handedOff = true)),
    );
    void sent.then((outcome) => this.settle(head, outcome));
  }

  private settle(head: Pending, outcome: PostOutcome): void {
    head.sending = false;
    if (this.stopped) return;
    if (outcome.kind === 'retryable' && !head.evicted) {
      this.failures += 1;
      const wait = this.backoff(outcome.retryAfterMillis);
      this.options.reportFailure(
        `telemetry export failed: ${this.options.signal} to ${this.options.url}: ${outcome.reason}; ` +
          `retrying in ${Math.round(wait / 100) / 10}s, ${this.heldRequests} requests (${this.bytes} bytes) held`,
      );
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.pump();
      }, wait);
      this.retryTimer.unref();
      return;
    }
    this.queue.shift();
    if (!head.evicted) this.bytes -= head.body.byteLength;
    if (outcome.kind === 'delivered') {
      this.failures = 0;
      const rejected = this.options.rejectedInResponse?.(outcome.response) ?? 0;
      if (rejected > 0) this.options.countDropped(this.options.signal, 'rejected', rejected);
    } else if (outcome.kind === 'retryable') {
      this.options.countDropped(this.options.signal, 'buffer_full', head.items);
    } else {
      this.options.countDropped(this.options.signal, 'rejected', head.items);
      this.options.reportFailure(`telemetry export failed: ${this.options.signal} to ${this.options.url}: ${outcome.reason}; the collector refused ${head.items} items for good`);
    }
    this.pump();
  }

  private backoff(retryAfterMillis: number | undefined): number {
    const exponential = Math.min(MAX_BACKOFF_MILLIS, INITIAL_BACKOFF_MILLIS * 2 ** Math.min(this.failures - 1, 16));
    const jittered = exponential * (1 - JITTER * (this.options.random ?? Math.random)());
    // The collector's own hint wins, within the same cap: a long Retry-After must not park telemetry for an hour.
    return retryAfterMillis === undefined ? jittered : Math.min(Math.max(retryAfterMillis, 0), MAX_BACKOFF_MILLIS);
  }
}
