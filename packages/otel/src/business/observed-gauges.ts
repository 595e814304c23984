/**
 * Database-derived figures (stock, active orders, active users) as observable
 * gauges. The service supplies one function that reads them; it runs when the
 * metrics are collected, bounded by a timeout, and a slow database yields the
 * last figures instead of stalling the scrape.
 */
import type { ObservableGauge } from '@opentelemetry/api';
import { businessMeter, internalProblem, rejectValue } from './instruments';
import { createCachedReader } from './cached-reader';
import { INSTRUMENTS, type InstrumentSpec } from '../telemetry-registry';
import { checkAmount } from './validation';

/** The figures a service can report; leave out the ones it does not track. */
export interface BusinessFigures {
  readonly outOfStockProducts?: number;
  readonly lowStockProducts?: number;
  readonly activeOrders?: number;
  readonly activeUsers?: number;
}

export interface BusinessGaugeOptions {
  /**
   * How long a collection waits for `read` before it reports the last figures.
   * @default 1000
   */
  readonly timeoutMillis?: number;
}

export interface BusinessGauges {
  /** The last figures read (undefined until the first read completes). */
  latest(): BusinessFigures | undefined;
  /** Reads now, within the timeout; the last figures when the read is slow. For /health/detailed. */
  read(): Promise<BusinessFigures | undefined>;
  /** Stops observing; the gauges disappear from later collections. */
  stop(): void;
}

export const BUSINESS_GAUGE_DEFAULTS = Object.freeze({ timeoutMillis: 1_000 });

const FIGURES: readonly [keyof BusinessFigures, InstrumentSpec][] = [
  ['outOfStockProducts', INSTRUMENTS.productsOutOfStock],
  ['lowStockProducts', INSTRUMENTS.productsLowStock],
  ['activeOrders', INSTRUMENTS.ordersActive],
  ['activeUsers', INSTRUMENTS.usersActive],
];

/** Keeps the valid figures of a read; each invalid one is counted and left out. */
function validFigures(raw: unknown): BusinessFigures {
  const result: Record<string, number> = {};
  if (raw === null || typeof raw !== 'object') return result;
  for (const [key, spec] of FIGURES) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    const checked = checkAmount(value);
    if (checked.ok) result[key] = checked.value;
    else rejectValue(spec.name, checked.reason);
  }
  return result;
}

/**
 * Registers the gauges of `o4o.products.out_of_stock`, `o4o.products.low_stock`,
 * `o4o.orders.active` and `o4o.users.active`, fed by `read`. Only the figures
 * `read` returns are reported. Never throws.
 */
export function registerBusinessGauges(read: () => BusinessFigures | Promise<BusinessFigures>, options: BusinessGaugeOptions = {}): BusinessGauges {
  const timeoutMillis = options.timeoutMillis ?? BUSINESS_GAUGE_DEFAULTS.timeoutMillis;
  const reader = createCachedReader(async () => validFigures(await read()), timeoutMillis, (problem, error) => {
    rejectValue('business_figures', problem);
    if (problem === 'callback_failed') internalProblem(`business figures could not be read (${(error as Error)?.message ?? String(error)}); serving the last ones`);
    else internalProblem(`business figures took longer than ${timeoutMillis} ms; serving the last ones`);
  });

  let stop = (): void => {};
  try {
    const meter = businessMeter();
    const gauges = new Map<keyof BusinessFigures, ObservableGauge>(
      FIGURES.map(([key, spec]) => [key, meter.createObservableGauge(spec.name, { unit: spec.unit, description: spec.description })]),
    );
    const callback = async (result: { observe(gauge: ObservableGauge, value: number): void }): Promise<void> => {
      const figures = await reader.read();
      if (figures === undefined) return;
      for (const [key, gauge] of gauges) {
        const value = figures[key];
        if (value !== undefined) result.observe(gauge, value);
      }
    };
    const observables = [...gauges.values()];
    meter.addBatchObservableCallback(callback, observables);
    stop = () => meter.removeBatchObservableCallback(callback, observables);
  } catch (error) {
    internalProblem(`business gauges could not be registered (${(error as Error)?.message ?? String(error)})`);
  }
  return { latest: () => reader.latest(), read: () => reader.read(), stop: () => stop() };
}
