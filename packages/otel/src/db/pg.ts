/**
 * Settings for @opentelemetry/instrumentation-pg that make its spans safe and
 * readable: SQL spans named by their summary (`SELECT orders`), literals removed
 * from `db.query.text`, the ORM operation that issued them, no connect spans, nothing traced outside a request or job.
 */
import type { PgInstrumentationConfig } from '@opentelemetry/instrumentation-pg';
import { context } from '@opentelemetry/api';
import { StatementCache, describeSanitizedSql, parameterAttributes } from './attributes';
import { ormOperationOf } from './orm-operation';

export interface PgOptions {
  /** O4O_OTEL_DB_CAPTURE_PARAMETERS: add bound values to SQL spans. */
  readonly captureParameters: boolean;
}

export function pgInstrumentationConfig(options: PgOptions): PgInstrumentationConfig {
  const statements = new StatementCache(describeSanitizedSql);
  return {
    // Schema sync, migrations and health pings at startup would each be a root trace.
    requireParentSpan: true,
    // pg-pool.connect and pg.connect spans double the span count and say little; the
    // pool's waiting requests are a metric (db.client.connection.pending_requests).
    ignoreConnectSpans: true,
    // Its `db.postgresql.values` attribute is every bound value: personal data.
    enhancedDatabaseReporting: false,
    requestHook: (span, { query }) => {
      const { name, attributes } = statements.get(query.text);
      span.updateName(name);
      // Replaces the raw text instrumentation-pg recorded, in case the app inlined literals.
      span.setAttributes(attributes);
      const operation = ormOperationOf(context.active());
      if (operation !== undefined) span.setAttributes(operation);
      if (options.captureParameters) span.setAttributes(parameterAttributes(query.values));
    },
  };
}
