export { startOtlpReceiver } from './otlp-receiver';
export type { OtlpReceiver } from './otlp-receiver';
export { decodeLogRecords, decodeMetrics, decodeSpans } from './otlp-decode';
export type { AttributeValue, Attributes, ReceivedLogRecord, ReceivedMetric, ReceivedSpan, Scope } from './otlp-decode';
export { runFixture } from './fixture';
export type { Fixture, FixtureOptions } from './fixture';
export { fetchText, scrapeMetrics, parseExposition } from './prometheus';
export type { Sample } from './prometheus';
