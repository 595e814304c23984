/** The toolkit's own view of traces, logs and alerts, independent of each backend's wire format. */

export type AttributeValue = string | number | boolean;
export type SpanStatus = 'ok' | 'error' | 'unset';

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent for a root span. */
  readonly parentSpanId: string | undefined;
  readonly service: string;
  readonly operation: string;
  /** `server`, `client`, `internal`, `producer`, `consumer`, or '' when unknown. */
  readonly kind: string;
  readonly startMicros: number;
  readonly durationMicros: number;
  readonly status: SpanStatus;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export interface Trace {
  readonly traceId: string;
  readonly spans: readonly Span[];
  /** Jaeger's warnings (clock skew, missing parents). */
  readonly warnings: readonly string[];
}

export interface LogRecord {
  readonly timestamp: string;
  readonly severity: string;
  readonly body: string;
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface Alert {
  readonly name: string;
  readonly state: string;
  readonly severity: string;
  readonly startsAt: string;
  readonly summary: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly service: string | undefined;
  readonly route: string | undefined;
  readonly fingerprint: string;
  readonly generatorUrl: string;
}
