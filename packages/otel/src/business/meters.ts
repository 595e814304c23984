/**
 * The typed business API that service code calls. Every function returns
 * nothing and never throws: a bad amount is dropped, an unknown enum value is
 * recorded as `other`, and both are counted in `o4o.telemetry.rejected_values`.
 */
import { trace, type Attributes } from '@opentelemetry/api';
import { amountCeiling } from './amount-ceiling';
import { businessInstruments, internalProblem, rejectValue } from './instruments';
import {
  CURRENCIES,
  INSTRUMENTS,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PAYMENT_OUTCOMES,
  USER_ROLES,
  type Currency,
  type InstrumentSpec,
  type OrderStatus,
  type PaymentMethod,
  type PaymentOutcome,
  type UserRole,
} from '../telemetry-registry';
import { checkAmount, checkEnum } from './validation';

export interface OrderPlaced {
  readonly status: OrderStatus;
  readonly userRole: UserRole;
  /** Final amount in major units of `currency` (a decimal string from `pg` is accepted). */
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: Currency;
  /**
   * The order's id. Never a metric label (unbounded); set as `order.id` on the
   * active span, so on-call can find the request's trace by order id.
   */
  readonly orderId?: string | number;
}

export interface OrderConfirmed {
  readonly amount: number;
  readonly currency: Currency;
}

export interface CheckoutStarted {
  readonly userRole: UserRole;
}

export interface UserRegistered {
  readonly userRole: UserRole;
}

export interface PaymentResult {
  readonly method: PaymentMethod;
  readonly outcome: PaymentOutcome;
}

/** Maps one enum field, counting a rejection against `instrument` when it falls back to `other`. */
function label<T extends string>(instrument: InstrumentSpec, attribute: string, value: unknown, allowed: readonly T[], letterCase: 'lower' | 'upper' = 'lower'): string {
  const checked = checkEnum(value, allowed, letterCase);
  if (checked.rejected) rejectValue(instrument.name, 'unknown_value', attribute);
  return checked.value;
}

function amountOf(instrument: InstrumentSpec, value: unknown): number | undefined {
  const checked = checkAmount(value, amountCeiling());
  if (checked.ok) return checked.value;
  rejectValue(instrument.name, checked.reason);
  return undefined;
}

function guarded<A>(name: string, record: (arg: A) => void): (arg: A) => void {
  return (arg) => {
    try {
      record((arg ?? {}) as A);
    } catch (error) {
      internalProblem(`${name} failed inside @o4o/otel (${(error as Error)?.message ?? String(error)}); the value was not recorded`);
    }
  };
}

/**
 * An order was placed: counts it by status and buyer role, records its amount
 * in the order value distribution, and, when it is placed already confirmed,
 * adds the amount to revenue. Orders confirmed later call `recordOrderConfirmed`.
 */
export const recordOrderPlaced: (order: OrderPlaced) => void = guarded('recordOrderPlaced', (order: OrderPlaced) => {
  const i = INSTRUMENTS;
  const instruments = businessInstruments();
  const status = label(i.ordersPlaced, 'status', order.status, ORDER_STATUSES);
  const userRole = label(i.ordersPlaced, 'user_role', order.userRole, USER_ROLES);
  instruments.ordersPlaced.add(1, { status, user_role: userRole });
  if (typeof order.orderId === 'string' || typeof order.orderId === 'number') {
    trace.getActiveSpan()?.setAttribute('order.id', String(order.orderId));
  }

  const amount = amountOf(i.orderValue, order.amount);
  if (amount === undefined) return;
  const currency: Attributes = { currency: label(i.orderValue, 'currency', order.currency, CURRENCIES, 'upper') };
  instruments.orderValue.record(amount, currency);
  if (status === 'confirmed') instruments.revenue.add(amount, currency);
});

/** An order placed earlier was confirmed (paid): its amount becomes revenue. */
export const recordOrderConfirmed: (order: OrderConfirmed) => void = guarded('recordOrderConfirmed', (order: OrderConfirmed) => {
  const i = INSTRUMENTS;
  const amount = amountOf(i.revenue, order.amount);
  if (amount === undefined) return;
  businessInstruments().revenue.add(amount, { currency: label(i.revenue, 'currency', order.currency, CURRENCIES, 'upper') });
});

/** A checkout was started; with `o4o.orders.placed` it gives the conversion rate. */
export const recordCheckoutStarted: (checkout: CheckoutStarted) => void = guarded('recordCheckoutStarted', (checkout: CheckoutStarted) => {
  businessInstruments().checkoutsStarted.add(1, { user_role: label(INSTRUMENTS.checkoutsStarted, 'user_role', checkout.userRole, USER_ROLES) });
});

/** A user registered. */
export const recordUserRegistered: (user: UserRegistered) => void = guarded('recordUserRegistered', (user: UserRegistered) => {
  businessInstruments().usersRegistered.add(1, { user_role: label(INSTRUMENTS.usersRegistered, 'user_role', user.userRole, USER_ROLES) });
});

/** A payment attempt reached an outcome. */
export const recordPaymentResult: (payment: PaymentResult) => void = guarded('recordPaymentResult', (payment: PaymentResult) => {
  const spec = INSTRUMENTS.paymentsProcessed;
  businessInstruments().paymentsProcessed.add(1, {
    method: label(spec, 'method', payment.method, PAYMENT_METHODS),
    outcome: label(spec, 'outcome', payment.outcome, PAYMENT_OUTCOMES),
  });
});
