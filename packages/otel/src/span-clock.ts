/**
 * Span start times with microsecond resolution. The SDK stamps a span's start
 * with `Date.now()` (whole milliseconds) and its end as start + a monotonic
 * duration, so the statements of a 3 ms request start on two or three distinct
 * instants and siblings sort in either order (`ROLLBACK` before
 * `BEGIN TRANSACTION`), and a child can appear to start before its parent.
 *
 * Here, as a span starts, its start time becomes `anchor + performance.now()`
 * at the instant the SDK took it (`_performanceStartTime`): one monotonic
 * clock for every span, anchored to the wall clock once. The SDK keeps adding
 * the monotonic duration to this start for events and the end, so nothing
 * else changes, and no clock is read a second time.
 *
 * The monotonic clock may drift from the wall clock over days (NTP slews the
 * latter): the anchor is checked once a minute and moved only when the two
 * differ by more than DRIFT_TOLERANCE_MILLIS, so spans stay comparable with
 * other services' without reordering the spans of a request.
 *
 * `_startTimeProvided` and `_performanceStartTime` are private to the SDK
 * (pinned at 3.1.0). A span without them is left as the SDK made it, and
 * test/db-sqlite.test.ts (statement order) fails.
 */
import type { Context, HrTime } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

const DRIFT_CHECK_MILLIS = 60_000;
const DRIFT_TOLERANCE_MILLIS = 2;

interface SdkSpanClock {
  _startTimeProvided?: boolean;
  _performanceStartTime?: number;
  startTime: HrTime;
}

/** Epoch milliseconds (fractional) to [seconds, nanoseconds]. */
export function millisToHrTime(epochMillis: number): HrTime {
  const seconds = Math.floor(epochMillis / 1000);
  const nanos = Math.round((epochMillis - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

/**
 * One monotonic clock anchored to the wall clock, shared by every span of a
 * tracer provider: `anchor + performance.now()` in epoch milliseconds.
 */
export class SpanClock {
  /** Epoch milliseconds at performance.now() = 0. */
  anchor = performance.timeOrigin;
  private readonly driftCheck: NodeJS.Timeout;

  constructor() {
    this.driftCheck = setInterval(() => this.checkDrift(), DRIFT_CHECK_MILLIS);
    this.driftCheck.unref();
  }

  /** Moves the anchor when the wall clock has drifted from the monotonic one. */
  checkDrift(): void {
    const wallAnchor = Date.now() - performance.now();
    if (Math.abs(wallAnchor - this.anchor) > DRIFT_TOLERANCE_MILLIS) this.anchor = wallAnchor;
  }

  stop(): void {
    clearInterval(this.driftCheck);
  }
}

/** The SDK tracer's spans moved onto a SpanClock as they start. */
export class MonotonicSpanClock implements SpanProcessor {
  constructor(private readonly clock = new SpanClock()) {}

  onStart(span: Span, _parentContext: Context): void {
    const clock = span as unknown as SdkSpanClock;
    if (clock._startTimeProvided !== false) return;
    const started = clock._performanceStartTime;
    if (typeof started === 'number') clock.startTime = millisToHrTime(this.clock.anchor + started);
  }

  checkDrift(): void {
    this.clock.checkDrift();
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.clock.stop();
    return Promise.resolve();
  }
}
