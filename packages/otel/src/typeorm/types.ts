/** Public configuration of the TypeORM instrumentation. */
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

export interface TypeormInstrumentationConfig extends InstrumentationConfig {
  /**
   * Adds bound parameter values (`db.query.parameter.<index>`) to SQL spans the
   * instrumentation creates, and keeps full error messages. Parameters are the
   * application's data: e-mail addresses, card numbers, tokens.
   * @default false
   */
  captureParameters?: boolean;
}
