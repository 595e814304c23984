/** The bridge's public configuration. */
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { RedactionOptions } from '../redaction';

export interface WinstonBridgeConfig extends InstrumentationConfig {
  readonly redaction?: RedactionOptions;
  /**
   * Emit records to the LoggerProvider; off when no logs exporter is configured.
   * @default true
   */
  readonly sendLogs?: boolean;
}
