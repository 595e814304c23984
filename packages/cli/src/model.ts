/** The CLI's view of traces, logs and alerts: the toolkit's model, which the backend clients return. */
export type { Alert, AttributeValue, LogRecord, Span, SpanStatus, Trace } from '@o4o/backends';
