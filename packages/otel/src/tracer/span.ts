/**
 * A recording span of the lean tracer: the API's `Span`, readable by the span
 * processors and the OTLP encoder as the SDK's `ReadableSpan` is, with the
 * SDK's semantics for limits, events, links, status, exceptions and misuse
 * (ending twice, changes after the end: a diagnostic, no effect).
 *
 * What it saves over the SDK's span: attributes validated once with a fast path
 * for primitives (no `WeakSet` per value), a frozen attribute object shared
 * until something changes it, no status, event or link objects until one is
 * set, and times kept as seconds and nanoseconds from one monotonic clock
 * rather than arrays.
 */
import {
  diag,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type AttributeValue,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import { cleanAttributes, cleanSimpleAttributes, isTimeInput, maybeAddAttribute } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { TimedEvent } from '@opentelemetry/sdk-trace';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE } from '@opentelemetry/semantic-conventions';
import type { SpanPipeline } from './pipeline';

export interface LeanSpanLimits {
  readonly attributeCountLimit: number;
  /** Infinity when unlimited. */
  readonly attributeValueLengthLimit: number;
  readonly eventCountLimit: number;
  readonly linkCountLimit: number;
  readonly attributePerEventCountLimit: number;
  readonly attributePerLinkCountLimit: number;
}

/** What every span of one tracer shares. */
export interface SpanOrigin {
  readonly resource: Resource;
  readonly instrumentationScope: { readonly name: string; readonly version?: string; readonly schemaUrl?: string };
  readonly limits: LeanSpanLimits;
  readonly pipeline: SpanPipeline;
}

const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const NO_EVENTS: TimedEvent[] = Object.freeze([]) as unknown as TimedEvent[];
const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A value as text, for values from the app that may have no way to become one
 * (an object without a prototype): where the SDK would throw into the caller,
 * the lean tracer reads it as its tag.
 */
function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Epoch milliseconds (fractional) to whole seconds and nanoseconds. */
function secondsOf(epochMillis: number): number {
  return Math.floor(epochMillis / 1000);
}

function nanosOf(epochMillis: number, seconds: number): number {
  return Math.round((epochMillis - seconds * 1000) * 1e6);
}

/**
 * Whether `attributes` can be kept as given: a frozen object whose values are
 * all strings within the length limit, numbers or booleans, with non-empty
 * keys, within the count limit. Such an object cannot change under the span.
 */
function isShareable(attributes: Attributes, limits: LeanSpanLimits): boolean {
  if (!Object.isFrozen(attributes)) return false;
  let count = 0;
  const lengthLimit = limits.attributeValueLengthLimit;
  for (const key in attributes) {
    if (!hasOwn.call(attributes, key)) return false;
    const value = attributes[key];
    const type = typeof value;
    if (type === 'string') {
      if ((value as string).length > lengthLimit) return false;
    } else if (type !== 'number' && type !== 'boolean') return false;
    if (key.length === 0 || ++count > limits.attributeCountLimit) return false;
  }
  return true;
}

export class LeanSpan implements Span {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  attributes: Attributes;
  links: Link[] = NO_LINKS;
  events: TimedEvent[] = NO_EVENTS;
  status: SpanStatus = UNSET_STATUS;
  readonly resource: SpanOrigin['resource'];
  readonly instrumentationScope: SpanOrigin['instrumentationScope'];
  /** Start and end as epoch seconds and nanoseconds (end 0, 0 until ended). */
  startSeconds: number;
  startNanos: number;
  endSeconds = 0;
  endNanos = 0;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  ended = false;
  private readonly context: SpanContext;
  private readonly origin: SpanOrigin;
  /** The attribute object is the caller's frozen one until the first change. */
  private sharedAttributes = false;
  private attributeCount = 0;
  /** Epoch milliseconds of the clock at performance.now() = 0, as it was when the span started. */
  private readonly anchor: number;
  /** When the start time was given, the end defaults to the wall clock, as in the SDK. */
  private readonly startTimeProvided: boolean;

  constructor(
    origin: SpanOrigin,
    context: SpanContext,
    name: string,
    kind: SpanKind,
    parentSpanContext: SpanContext | undefined,
    attributes: Attributes | undefined,
    links: readonly Link[] | undefined,
    startTime: TimeInput | undefined,
    anchor: number,
  ) {
    this.origin = origin;
    this.context = context;
    this.name = name;
    this.kind = kind;
    this.parentSpanContext = parentSpanContext;
    this.resource = origin.resource;
    this.instrumentationScope = origin.instrumentationScope;
    this.anchor = anchor;
    this.startTimeProvided = startTime !== undefined && startTime !== null;
    if (this.startTimeProvided) {
      const [seconds, nanos] = this.timeOf(startTime);
      this.startSeconds = seconds;
      this.startNanos = nanos;
    } else {
      const now = anchor + performance.now();
      this.startSeconds = secondsOf(now);
      this.startNanos = nanosOf(now, this.startSeconds);
    }
    const limits = origin.limits;
    if (attributes === undefined || attributes === null) {
      this.attributes = {};
    } else if (isShareable(attributes, limits)) {
      this.attributes = attributes;
      this.sharedAttributes = true;
      this.attributeCount = -1;
    } else {
      this.attributes = {};
      this.addStartAttributes(attributes);
    }
    if (links !== undefined && links.length > 0) this.addStartLinks(links);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  get startTime(): HrTime {
    return [this.startSeconds, this.startNanos];
  }

  get endTime(): HrTime {
    return [this.endSeconds, this.endNanos];
  }

  get duration(): HrTime {
    if (!this.ended) return [-1, -1];
    let seconds = this.endSeconds - this.startSeconds;
    let nanos = this.endNanos - this.startNanos;
    if (nanos < 0) {
      seconds -= 1;
      nanos += 1e9;
    }
    return [seconds, nanos];
  }

  isRecording(): boolean {
    return !this.ended;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.endedWarning() || value === undefined) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    const attributes = this.writableAttributes();
    const isNew = !hasOwn.call(attributes, key);
    const limits = this.origin.limits;
    if (isNew && this.attributeCount >= limits.attributeCountLimit) {
      this.droppedAttributesCount++;
      if (this.droppedAttributesCount === 1) diag.warn('Dropping extra attributes.');
      return this;
    }
    const type = typeof value;
    if (type === 'string') {
      const lengthLimit = limits.attributeValueLengthLimit;
      attributes[key] = (value as string).length > lengthLimit ? (value as string).substring(0, lengthLimit) : value;
    } else if (type === 'number' || type === 'boolean') {
      attributes[key] = value;
    } else {
      // Arrays, byte arrays, maps: the SDK's own rules, copied and truncated.
      const decision = maybeAddAttribute({ key, value, attributes, limits, currentAttributesCount: this.attributeCount });
      if (decision !== 3 /* ADD_NEW */) return this;
      this.attributeCount++;
      return this;
    }
    if (isNew) this.attributeCount++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) if (hasOwn.call(attributes, key)) this.setAttribute(key, attributes[key] as AttributeValue);
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, timeStamp?: TimeInput): this {
    if (this.endedWarning()) return this;
    const { eventCountLimit } = this.origin.limits;
    if (eventCountLimit === 0) {
      diag.warn('No events allowed.');
      this.droppedEventsCount++;
      return this;
    }
    if (this.events === NO_EVENTS) this.events = [];
    if (this.events.length >= eventCountLimit) {
      if (this.droppedEventsCount === 0) diag.debug('Dropping extra events.');
      this.events.shift();
      this.droppedEventsCount++;
    }
    let attributes = attributesOrStartTime as Attributes | undefined;
    if (isTimeInput(attributesOrStartTime)) {
      if (!isTimeInput(timeStamp)) timeStamp = attributesOrStartTime as TimeInput;
      attributes = undefined;
    }
    const limits = this.origin.limits;
    this.events.push({
      name,
      time: this.timeOf(timeStamp),
      ...cleanSimpleAttributes(attributes, { attributeCountLimit: limits.attributePerEventCountLimit, attributeValueLengthLimit: limits.attributeValueLengthLimit }),
    } as TimedEvent);
    return this;
  }

  addLink(link: Link): this {
    if (this.endedWarning()) return this;
    const { linkCountLimit } = this.origin.limits;
    if (linkCountLimit === 0) {
      this.droppedLinksCount++;
      return this;
    }
    if (this.links === NO_LINKS) this.links = [];
    if (this.links.length >= linkCountLimit) {
      if (this.droppedLinksCount === 0) diag.debug('Dropping extra links.');
      this.links.shift();
      this.droppedLinksCount++;
    }
    this.links.push(this.cleanLink(link));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.endedWarning()) return this;
    if (status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    const next: { code: SpanStatusCode; message?: string } = { code: status.code };
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') next.message = status.message;
      else if (status.message != null) diag.warn(`Dropping invalid status.message of type '${typeof status.message}', expected 'string'`);
    }
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (this.endedWarning()) return this;
    this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) {
      diag.error(`${this.name} ${this.context.traceId}-${this.context.spanId} - You can only call end() on a span once.`);
      return;
    }
    if (endTime === undefined && !this.startTimeProvided) {
      const now = this.anchor + performance.now();
      this.endSeconds = secondsOf(now);
      this.endNanos = nanosOf(now, this.endSeconds);
    } else {
      const [seconds, nanos] = this.timeOf(endTime);
      this.endSeconds = seconds;
      this.endNanos = nanos;
    }
    if (this.endSeconds < this.startSeconds || (this.endSeconds === this.startSeconds && this.endNanos < this.startNanos)) {
      diag.warn('Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.', this.startTime, this.endTime);
      this.endSeconds = this.startSeconds;
      this.endNanos = this.startNanos;
    }
    if (this.droppedEventsCount > 0) diag.warn(`Dropped ${this.droppedEventsCount} events because eventCountLimit reached`);
    if (this.droppedLinksCount > 0) diag.warn(`Dropped ${this.droppedLinksCount} links because linkCountLimit reached`);
    const pipeline = this.origin.pipeline;
    pipeline.ending(this);
    this.ended = true;
    pipeline.end(this);
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes[ATTR_EXCEPTION_MESSAGE] = exception;
    } else if (exception) {
      if (exception.code) attributes[ATTR_EXCEPTION_TYPE] = printable(exception.code);
      else if (exception.name) attributes[ATTR_EXCEPTION_TYPE] = exception.name;
      if (exception.message) attributes[ATTR_EXCEPTION_MESSAGE] = exception.message;
      if (exception.stack) attributes[ATTR_EXCEPTION_STACKTRACE] = exception.stack;
    }
    if (attributes[ATTR_EXCEPTION_TYPE] || attributes[ATTR_EXCEPTION_MESSAGE]) this.addEvent('exception', attributes, time);
    else diag.warn(`Failed to record an exception ${printable(exception)}`);
  }

  /** The SDK's reading of a time input; with none, now on this span's clock. */
  private timeOf(input: TimeInput | undefined): HrTime {
    let epochMillis: number;
    if (typeof input === 'number') {
      // Small numbers are performance.now() readings, as in the SDK.
      epochMillis = input <= performance.now() ? this.anchor + input : input;
    } else if (input instanceof Date) {
      epochMillis = input.getTime();
    } else if (Array.isArray(input) && input.length === 2 && typeof input[0] === 'number' && typeof input[1] === 'number') {
      return input as HrTime;
    } else {
      epochMillis = this.startTimeProvided ? Date.now() : this.anchor + performance.now();
    }
    const seconds = secondsOf(epochMillis);
    return [seconds, nanosOf(epochMillis, seconds)];
  }

  /** The start attributes, cleaned as the SDK's tracer cleans them (invalid values and those past the limit counted as dropped). */
  private addStartAttributes(input: Attributes): void {
    const attributes = this.attributes;
    const limits = this.origin.limits;
    const lengthLimit = limits.attributeValueLengthLimit;
    let count = 0;
    let dropped = 0;
    for (const key in input) {
      if (!hasOwn.call(input, key)) continue;
      const value = input[key];
      if (value === undefined) continue;
      const type = typeof value;
      if (key.length === 0) {
        diag.warn(`Invalid attribute key: ${key}`);
        dropped++;
      } else if (type === 'string' || type === 'number' || type === 'boolean') {
        if (count >= limits.attributeCountLimit) dropped++;
        else {
          attributes[key] = type === 'string' && (value as string).length > lengthLimit ? (value as string).substring(0, lengthLimit) : value;
          count++;
        }
      } else {
        const cleaned = cleanAttributes({ [key]: value }, { attributeCountLimit: count >= limits.attributeCountLimit ? 0 : 1, attributeValueLengthLimit: lengthLimit });
        if (cleaned.droppedAttributesCount) dropped++;
        else if (cleaned.attributes && hasOwn.call(cleaned.attributes, key)) {
          attributes[key] = cleaned.attributes[key];
          count++;
        }
      }
    }
    this.attributeCount = count;
    this.droppedAttributesCount = dropped;
  }

  private addStartLinks(links: readonly Link[]): void {
    const { linkCountLimit } = this.origin.limits;
    const kept = links.length > linkCountLimit ? links.slice(links.length - linkCountLimit) : links;
    this.droppedLinksCount = links.length - kept.length;
    this.links = kept.map((link) => this.cleanLink(link));
  }

  private cleanLink(link: Link): Link {
    const limits = this.origin.limits;
    return {
      context: link.context,
      ...cleanAttributes(link.attributes, { attributeCountLimit: limits.attributePerLinkCountLimit, attributeValueLengthLimit: limits.attributeValueLengthLimit }),
    } as Link;
  }

  private writableAttributes(): Attributes {
    if (this.sharedAttributes) {
      const copy: Attributes = {};
      let count = 0;
      for (const key in this.attributes) {
        copy[key] = this.attributes[key];
        count++;
      }
      this.attributes = copy;
      this.attributeCount = count;
      this.sharedAttributes = false;
    }
    return this.attributes;
  }

  private endedWarning(): boolean {
    if (this.ended) diag.warn(`Cannot execute the operation on ended Span {traceId: ${this.context.traceId}, spanId: ${this.context.spanId}}`);
    return this.ended;
  }
}
