/**
 * Attributes for database spans that hold no data by default: parameterized or
 * sanitized query text, a summary for the span name, and errors reduced to their
 * type and code. Parameter values are added only when explicitly asked for.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { sanitizeSql, summarizeSanitizedSql } from './sql';

/** Stable semantic-convention names used by our database spans and metrics (the SDK loads the package anyway). */
export const ATTR = Object.freeze({
  systemName: ATTR_DB_SYSTEM_NAME,
  namespace: ATTR_DB_NAMESPACE,
  operationName: ATTR_DB_OPERATION_NAME,
  collectionName: ATTR_DB_COLLECTION_NAME,
  querySummary: ATTR_DB_QUERY_SUMMARY,
  queryText: ATTR_DB_QUERY_TEXT,
  // `db.query.parameter.<key>` is a template attribute: the package exports no constant for it.
  queryParameterPrefix: 'db.query.parameter.',
  errorType: ATTR_ERROR_TYPE,
  serverAddress: ATTR_SERVER_ADDRESS,
  serverPort: ATTR_SERVER_PORT,
});

/** Longest parameter value kept when parameters are captured. */
const MAX_PARAMETER_LENGTH = 256;

export interface SqlSpanShape {
  /** `SELECT orders`: the span name. */
  readonly name: string;
  readonly operation: string;
  readonly attributes: Attributes;
}

/** Name and attributes of a span for one SQL statement, from its text as sanitizeSql left it. */
export function describeSanitizedSql(sanitized: string): SqlSpanShape {
  const { operation, collection, summary } = summarizeSanitizedSql(sanitized);
  const attributes: Attributes = {
    [ATTR.queryText]: sanitized,
    [ATTR.querySummary]: summary,
    [ATTR.operationName]: operation,
  };
  if (collection !== undefined) attributes[ATTR.collectionName] = collection;
  return { name: summary, operation, attributes };
}

/** Distinct statements remembered by a StatementCache, and the longest statement text kept as a key. */
const MAX_CACHED_STATEMENTS = 1_000;
const MAX_CACHED_STATEMENT_LENGTH = 4_096;
/** Texts with a literal seen once, waiting for a second sighting; cleared when full. */
const MAX_PROBATION_TEXTS = 256;

/**
 * Remembers what `derive` made of each statement. ORMs send the same few
 * statements over and over, so sanitizing and summarizing them (a scan of the
 * whole text, then regular expressions) is done once per statement, not once
 * per call:
 * - a text that holds no literal (a parameterized statement) is remembered as sent;
 * - a text that holds one (TypeORM writes `LIMIT 1`; on SQLite it may inline
 *   `WHERE "id" = 42`) is remembered as sent once it is seen a second time, so
 *   the statements an app repeats cost one lookup while one-off texts (an id
 *   inlined per call) only pass through a small probation set;
 * - what `derive` made is shared by every text of the same shape (the sanitized text).
 * Bounded: past the caps, and for very long texts, the text is sanitized every time.
 */
export class StatementCache<T> {
  private readonly byText = new Map<string, T>();
  private readonly byShape = new Map<string, T>();
  private readonly seenOnce = new Set<string>();

  constructor(private readonly derive: (sanitized: string) => T) {}

  get(sql: string): T {
    const known = this.byText.get(sql);
    if (known !== undefined) return known;
    const sanitized = sanitizeSql(sql);
    let derived = this.byShape.get(sanitized);
    if (derived === undefined) {
      derived = this.derive(sanitized);
      if (this.byShape.size < MAX_CACHED_STATEMENTS && sanitized.length <= MAX_CACHED_STATEMENT_LENGTH) this.byShape.set(sanitized, derived);
    }
    if (this.byText.size < MAX_CACHED_STATEMENTS && sql.length <= MAX_CACHED_STATEMENT_LENGTH) this.remember(sql, sanitized === sql, derived);
    return derived;
  }

  private remember(sql: string, parameterized: boolean, derived: T): void {
    if (parameterized || this.seenOnce.delete(sql)) {
      this.byText.set(sql, derived);
      return;
    }
    if (this.seenOnce.size >= MAX_PROBATION_TEXTS) this.seenOnce.clear();
    this.seenOnce.add(sql);
  }
}

function formatParameter(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = 'null';
  else if (typeof value === 'string') text = value;
  else if (Buffer.isBuffer(value)) text = `<${value.length} bytes>`;
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  } else text = String(value);
  return text.length > MAX_PARAMETER_LENGTH ? `${text.slice(0, MAX_PARAMETER_LENGTH)}…` : text;
}

/**
 * `db.query.parameter.<index>` for each bound value. Only called when the
 * operator opted in (O4O_OTEL_DB_CAPTURE_PARAMETERS): the values are the data.
 */
export function parameterAttributes(parameters: readonly unknown[] | undefined): Attributes {
  const attributes: Attributes = {};
  if (!Array.isArray(parameters)) return attributes;
  parameters.forEach((value, index) => {
    attributes[`${ATTR.queryParameterPrefix}${index}`] = formatParameter(value);
  });
  return attributes;
}

/**
 * What an error may say in telemetry: its class and driver code. Driver and ORM
 * messages quote values (`invalid input syntax for type integer: "4111..."`,
 * `Could not find any entity matching {"customerEmail": ...}`), so the message
 * itself is kept only when parameters are captured.
 */
export function describeError(error: unknown, withMessage: boolean): { type: string; message: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  // `class OutOfStock extends Error` keeps the name `Error` unless it sets one: its constructor names it better.
  const constructorName = (error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const type =
    typeof e.name === 'string' && e.name !== '' && e.name !== 'Error'
      ? e.name
      : typeof constructorName === 'string' && /^[A-Za-z_$][\w$]{0,60}$/.test(constructorName) && constructorName !== 'Object'
        ? constructorName
        : 'Error';
  const code = e.code ?? e.driverError?.code;
  const codeText = typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  if (withMessage && typeof e.message === 'string') return { type, message: e.message };
  return { type, message: codeText === undefined ? `${type} (message withheld: may contain data)` : `${type} (code ${codeText})` };
}
