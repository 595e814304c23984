/**
 * Secrets and personal data that reach spans from outside our control: query
 * strings (`GET /items?token=...` puts the token into `url.query` and
 * `url.full`), and exception messages recorded from the app's errors (a
 * database error quoting a customer's e-mail). Before a span ends, sensitive
 * query parameter values are replaced and exception messages, stack traces
 * and the status message pass through the same scrubber as log strings.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { normaliseName } from './redaction/keys';
import { scrubText, type TextScrubOptions } from './redaction/text';
import { scrubUrl } from './redaction/url';

/** Attributes holding a URL or a query string, current and older semantic conventions. */
const URL_ATTRIBUTES = ['url.full', 'url.query', 'url.original', 'http.url', 'http.target'];
const EXCEPTION_ATTRIBUTES = ['exception.message', 'exception.stacktrace'];

export interface SpanPrivacyOptions {
  /** Extra secret names: query parameters and `name=value` pairs in messages. */
  readonly keys: readonly string[];
  readonly maskEmails: boolean;
}

export class SpanPrivacyProcessor implements SpanProcessor {
  private readonly keys: ReadonlySet<string>;
  private readonly text: TextScrubOptions;

  constructor(options: SpanPrivacyOptions) {
    this.keys = new Set(options.keys.map(normaliseName));
    this.text = { maskEmails: options.maskEmails, keys: this.keys };
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    const { attributes } = span;
    for (const name of URL_ATTRIBUTES) {
      const value = attributes[name];
      if (typeof value !== 'string') continue;
      const clean = scrubUrl(value, this.keys);
      if (clean !== value) span.setAttribute(name, clean);
    }
    const { status } = span;
    if (status.message) {
      const clean = scrubText(status.message, this.text);
      if (clean !== status.message) span.setStatus({ code: status.code, message: clean });
    }
    for (const event of span.events) {
      const eventAttributes = event.attributes as Record<string, unknown> | undefined;
      if (eventAttributes === undefined) continue;
      for (const name of EXCEPTION_ATTRIBUTES) {
        const value = eventAttributes[name];
        if (typeof value === 'string') eventAttributes[name] = scrubText(value, this.text);
      }
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
