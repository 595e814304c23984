/**
 * @o4o/backends: one client per backend of the toolkit (Jaeger, the search
 * node, Prometheus, Alertmanager, the o4o collector), the Prometheus text
 * exposition parser, and the local stack's address book. Used by the CLI, the
 * end-to-end tests, the test utilities, the demo summary and the benchmarks.
 */
export { backendRef, BackendError, BackendFailedError, BackendUnreachableError } from './ref';
export type { BackendRef } from './ref';
export { parseJson, request, requestJson, requestOk, requestText, urlFor } from './http';
export type { HttpAnswer, RequestOptions } from './http';
export { counter, parseExposition, sum, unescapeLabelValue } from './exposition';
export type { Sample } from './exposition';
export type { Alert, AttributeValue, LogRecord, Span, SpanStatus, Trace } from './model';
export { jaegerClient, jaegerTag, toTrace } from './jaeger';
export type { JaegerClient, JaegerReference, JaegerSpan, JaegerSpanAnswer, JaegerTag, JaegerTrace, JaegerTraceAnswer, TraceSearch } from './jaeger';
export { searchClient, timeKey, toLogRecord } from './search';
export type { LogDocument, SearchAnswer, SearchClient } from './search';
export { prometheusClient } from './prometheus';
export type { Exemplar, ExemplarSeries, PrometheusAlert, PrometheusClient, RuleGroup, ScrapeTarget, VectorSample } from './prometheus';
export { alertmanagerClient, toAlert } from './alertmanager';
export type { AlertmanagerClient, GettableAlert, PostableAlert } from './alertmanager';
export { collectorClient, scrape } from './collector';
export type { CollectorClient } from './collector';
export { addressBookFile, parseAddressBook, readAddressBook, stackEndpoints } from './stack-endpoints';
export type { Environment, StackEndpoints } from './stack-endpoints';
