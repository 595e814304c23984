/**
 * The one registry of the package's own telemetry (business meters, health
 * checks, and self-telemetry: rejected values, drops, redaction work): every instrument's name,
 * kind, unit, description and attributes with their allowed values. The typed
 * API, the committed `telemetry-registry.json` (read by dashboards and alert
 * rules) and the README all follow this table.
 *
 * Names are lower-case, dotted and prefixed `o4o.`; units are UCUM, with curly
 * annotations for counted things. Money has no UCUM unit and its currency
 * varies per series, so money instruments use the annotation `{currency_unit}`:
 * one unit (major unit, e.g. 1 KRW, 1 USD) of the currency in the `currency`
 * attribute. Sums across currencies are meaningless; always group by `currency`.
 */

export type InstrumentKind = 'counter' | 'histogram' | 'gauge';

export interface InstrumentSpec {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
  /** Attribute name -> allowed values; `null` means free-form but bounded by the caller (e.g. check names). */
  readonly attributes: Readonly<Record<string, readonly string[] | null>>;
  /** Histogram bucket boundaries, when the default ones would not fit. */
  readonly buckets?: readonly number[];
}

/** Value that replaces an attribute value outside the allowed list. */
export const OTHER = 'other';

export const ORDER_STATUSES = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded', OTHER] as const;
export const USER_ROLES = ['customer', 'business', 'affiliate', 'supplier', 'admin', 'guest', OTHER] as const;
export const CURRENCIES = ['KRW', 'USD', 'EUR', 'JPY', 'CNY', OTHER] as const;
export const PAYMENT_METHODS = ['card', 'bank_transfer', 'virtual_account', 'mobile', 'easy_pay', 'points', OTHER] as const;
export const PAYMENT_OUTCOMES = ['succeeded', 'declined', 'failed', 'cancelled', 'timeout', OTHER] as const;
export const REJECTION_REASONS = ['negative', 'not_finite', 'not_a_number', 'too_large', 'unknown_value', 'callback_failed', 'callback_timeout'] as const;
/** The signals this package exports; values of `signal` on its self-telemetry. */
export const TELEMETRY_SIGNALS = ['traces', 'logs', 'metrics'] as const;
/**
 * Why telemetry was dropped before reaching the collector: the batch queue was
 * full (count or bytes), the retry buffer was full and evicted its oldest batch,
 * or the collector refused it for good (4xx other than 429, or partial success).
 */
export const DROP_REASONS = ['queue_full', 'buffer_full', 'rejected'] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type UserRole = (typeof USER_ROLES)[number];
export type Currency = (typeof CURRENCIES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type PaymentOutcome = (typeof PAYMENT_OUTCOMES)[number];
export type RejectionReason = (typeof REJECTION_REASONS)[number];
export type TelemetrySignal = (typeof TELEMETRY_SIGNALS)[number];
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * Order values in major currency units span from a few dollars to millions of
 * won: a 1-2-5 ladder over seven decades serves every currency we sell in with
 * one set of buckets, so quantiles stay within a factor of 2.5.
 */
export const ORDER_VALUE_BUCKETS: readonly number[] = Object.freeze(
  [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000].flatMap((d) => [d, 2 * d, 5 * d]).concat([10_000_000]),
);

function spec(s: InstrumentSpec): InstrumentSpec {
  return Object.freeze({ ...s, attributes: Object.freeze({ ...s.attributes }), ...(s.buckets ? { buckets: Object.freeze([...s.buckets]) } : {}) });
}

export const INSTRUMENTS = Object.freeze({
  ordersPlaced: spec({
    name: 'o4o.orders.placed',
    kind: 'counter',
    unit: '{order}',
    description: 'Orders placed, by status at the time of recording and the buyer role.',
    attributes: { status: ORDER_STATUSES, user_role: USER_ROLES },
  }),
  orderValue: spec({
    name: 'o4o.order.value',
    kind: 'histogram',
    unit: '{currency_unit}',
    description: 'Distribution of order amounts (final amount, major currency units).',
    attributes: { currency: CURRENCIES },
    buckets: ORDER_VALUE_BUCKETS,
  }),
  revenue: spec({
    name: 'o4o.revenue',
    kind: 'counter',
    unit: '{currency_unit}',
    description: 'Revenue of confirmed orders (final amount, major currency units); a monotonic counter per currency.',
    attributes: { currency: CURRENCIES },
  }),
  checkoutsStarted: spec({
    name: 'o4o.checkouts.started',
    kind: 'counter',
    unit: '{checkout}',
    description: 'Checkouts started; orders placed divided by this is the conversion rate.',
    attributes: { user_role: USER_ROLES },
  }),
  usersRegistered: spec({
    name: 'o4o.users.registered',
    kind: 'counter',
    unit: '{user}',
    description: 'New user registrations, by role.',
    attributes: { user_role: USER_ROLES },
  }),
  usersActive: spec({
    name: 'o4o.users.active',
    kind: 'gauge',
    unit: '{user}',
    description: 'Users active in the window the service defines (e.g. last 15 minutes), read from the database.',
    attributes: {},
  }),
  paymentsProcessed: spec({
    name: 'o4o.payments.processed',
    kind: 'counter',
    unit: '{payment}',
    description: 'Payment attempts that reached an outcome, by method and outcome.',
    attributes: { method: PAYMENT_METHODS, outcome: PAYMENT_OUTCOMES },
  }),
  productsOutOfStock: spec({
    name: 'o4o.products.out_of_stock',
    kind: 'gauge',
    unit: '{product}',
    description: 'Products with no stock left, read from the database.',
    attributes: {},
  }),
  productsLowStock: spec({
    name: 'o4o.products.low_stock',
    kind: 'gauge',
    unit: '{product}',
    description: 'Products at or below their reorder threshold but not out of stock, read from the database.',
    attributes: {},
  }),
  ordersActive: spec({
    name: 'o4o.orders.active',
    kind: 'gauge',
    unit: '{order}',
    description: 'Orders not yet delivered, cancelled or refunded, read from the database.',
    attributes: {},
  }),
  rejectedValues: spec({
    name: 'o4o.telemetry.rejected_values',
    kind: 'counter',
    unit: '{value}',
    description: 'Values the business API dropped or mapped to "other", by instrument and reason.',
    attributes: { instrument: null, reason: REJECTION_REASONS },
  }),
  telemetryDropped: spec({
    name: 'o4o.telemetry.dropped',
    kind: 'counter',
    unit: '{item}',
    description: 'Spans, log records or metric data points (by signal) that never reached the collector, by reason.',
    attributes: { signal: TELEMETRY_SIGNALS, reason: DROP_REASONS },
  }),
  healthCheckStatus: spec({
    name: 'o4o.health.check.status',
    kind: 'gauge',
    unit: '1',
    description: 'Result of the last run of a health check: 1 healthy, 0 unhealthy.',
    attributes: { check: null },
  }),
  healthCheckDuration: spec({
    name: 'o4o.health.check.duration',
    kind: 'gauge',
    unit: 's',
    description: 'How long the last run of a health check took (its timeout when it timed out).',
    attributes: { check: null },
  }),
  redactionValues: spec({
    name: 'o4o.telemetry.redaction.values',
    kind: 'counter',
    unit: '{value}',
    description: 'Values (objects, arrays, strings, numbers) the log redactor visited; bounded per record by O4O_OTEL_LOG_REDACT_MAX_VALUES.',
    attributes: {},
  }),
  redactionChars: spec({
    name: 'o4o.telemetry.redaction.chars',
    kind: 'counter',
    unit: '{char}',
    description: 'Characters of strings and field names the log redactor scanned; bounded per record by O4O_OTEL_LOG_REDACT_MAX_CHARS.',
    attributes: {},
  }),
  redactionLimited: spec({
    name: 'o4o.telemetry.redaction.limited',
    kind: 'counter',
    unit: '{record}',
    description: 'Log records whose redaction reached its budget: values past it were cut or replaced by a marker.',
    attributes: {},
  }),
} satisfies Record<string, InstrumentSpec>);

export type InstrumentKey = keyof typeof INSTRUMENTS;

/**
 * The series name Prometheus stores when it scrapes our endpoint
 * (`@opentelemetry/exporter-prometheus`): dots become underscores, counters get
 * `_total`, and the unit is not appended (it goes in a `# UNIT` comment line).
 * Histograms add `_bucket`, `_sum` and `_count` to this base name.
 */
export function prometheusName(instrument: Pick<InstrumentSpec, 'name' | 'kind'>): string {
  const base = instrument.name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return instrument.kind === 'counter' ? `${base}_total` : base;
}

/** The machine-readable registry, as committed in telemetry-registry.json. */
export function registryDocument(): object {
  return {
    $comment: 'Generated from src/telemetry-registry.ts by scripts/write-telemetry-registry.js; do not edit by hand.',
    prometheusNaming: 'exporter-prometheus: dots to underscores, counters end in _total, no unit suffix (unit in a # UNIT line)',
    other: OTHER,
    instruments: Object.entries(INSTRUMENTS).map(([key, s]) => ({
      key,
      name: s.name,
      kind: s.kind,
      unit: s.unit,
      description: s.description,
      prometheus: prometheusName(s),
      attributes: s.attributes,
      ...(s.buckets ? { buckets: s.buckets } : {}),
    })),
  };
}
