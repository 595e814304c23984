/**
 * The warehouse feed: every interval, products that run low (the limited
 * edition excepted) are refilled, so a long demo or load test keeps selling
 * rather than answering "out of stock". Each run is a background root span of
 * its own, so its SQL is never mistaken for a request's work.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import type { Logger } from 'winston';
import { ProductEntity, type Product } from './entities';

export interface RestockOptions {
  readonly intervalMillis: number;
  /** Products below this stock are refilled ... */
  readonly below: number;
  /** ... to this stock. */
  readonly upTo: number;
}

const tracer = trace.getTracer('shop-api');

/** One run; resolves with the number of products refilled. */
export function restockOnce(dataSource: DataSource, logger: Logger, options: RestockOptions): Promise<number> {
  return tracer.startActiveSpan('restock', { root: true, kind: SpanKind.INTERNAL, attributes: { 'job.name': 'restock' } }, async (span) => {
    try {
      const result = await dataSource
        .createQueryBuilder()
        .update(ProductEntity)
        .set({ stock: options.upTo } as Partial<Product>)
        .where('stock < :below AND restockable = :restockable', { below: options.below, restockable: true })
        .execute();
      const refilled = result.affected ?? 0;
      span.setAttribute('restock.products', refilled);
      if (refilled > 0) logger.info('stock refilled', { products: refilled, upTo: options.upTo });
      return refilled;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
      logger.error('restock failed', { error });
      return 0;
    } finally {
      span.end();
    }
  });
}

/** Starts the job; returns a function that stops it. It never keeps the process alive. */
export function startRestock(dataSource: DataSource, logger: Logger, options: RestockOptions): () => void {
  if (options.intervalMillis <= 0) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void restockOnce(dataSource, logger, options).finally(() => (running = false));
  }, options.intervalMillis);
  timer.unref();
  return () => clearInterval(timer);
}
