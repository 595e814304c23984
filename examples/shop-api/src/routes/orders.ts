/**
 * Checkout: reserve stock and create the order in one transaction, charge the
 * payment provider, then confirm or cancel (returning the stock).
 */
import { Router } from 'express';
import { recordCheckoutStarted, recordOrderPlaced, recordPaymentResult, type PaymentOutcome as TelemetryOutcome } from '@o4o/otel';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'winston';
import { OrderEntity, PAYMENT_METHODS, ProductEntity, UserEntity, type Order, type PaymentMethod, type Product, type User } from '../entities';
import type { PaymentClient, PaymentOutcome } from '../payment-client';

function paymentOutcome(payment: PaymentOutcome): TelemetryOutcome {
  if (payment.outcome === 'approved') return 'succeeded';
  if (payment.outcome === 'declined') return 'declined';
  return payment.code === 'timeout' ? 'timeout' : 'failed';
}

interface CheckoutRequest {
  userId?: number;
  items?: { productId: number; quantity: number }[];
  paymentMethod?: string;
}

class CheckoutError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function reserve(manager: EntityManager, user: User, request: Required<CheckoutRequest>): Promise<Order> {
  let total = 0;
  const items = [];
  for (const { productId, quantity } of request.items) {
    const product = await manager.findOneBy<Product>(ProductEntity, { id: productId });
    if (!product) throw new CheckoutError(404, `product ${productId} not found`);
    // Conditional decrement: two checkouts racing for the last unit cannot both win.
    const result = await manager
      .createQueryBuilder()
      .update(ProductEntity)
      .set({ stock: () => `stock - ${Number(quantity)}` })
      .where('id = :id AND stock >= :quantity', { id: productId, quantity })
      .execute();
    if (!result.affected) throw new CheckoutError(409, `product ${productId} is out of stock`);
    total += product.price * quantity;
    items.push({ productId, quantity, unitPrice: product.price });
  }
  const orders = manager.getRepository<Order>(OrderEntity);
  return orders.save(
    orders.create({
      userId: user.id,
      status: 'pending',
      total,
      currency: 'KRW',
      paymentMethod: request.paymentMethod as PaymentMethod,
      customerEmail: user.email,
      items,
    }),
  );
}

async function release(manager: EntityManager, order: Order): Promise<void> {
  for (const item of order.items ?? []) {
    await manager
      .createQueryBuilder()
      .update(ProductEntity)
      .set({ stock: () => `stock + ${Number(item.quantity)}` })
      .where('id = :id', { id: item.productId })
      .execute();
  }
}

export function orderRoutes(dataSource: DataSource, payments: PaymentClient, logger: Logger): Router {
  const router = Router();
  const orders = dataSource.getRepository<Order>(OrderEntity);
  const users = dataSource.getRepository<User>(UserEntity);

  router.post('/orders', async (req, res) => {
    const request = req.body as CheckoutRequest;
    if (!request.userId || !Array.isArray(request.items) || request.items.length === 0 || !PAYMENT_METHODS.includes(request.paymentMethod as PaymentMethod)) {
      res.status(400).json({ error: `userId, items and paymentMethod (${PAYMENT_METHODS.join(', ')}) are required` });
      return;
    }
    const user = await users.findOneBy({ id: request.userId });
    if (!user) {
      res.status(404).json({ error: 'user not found' });
      return;
    }

    recordCheckoutStarted({ userRole: user.role });
    let order: Order;
    try {
      order = await dataSource.transaction((manager) => reserve(manager, user, request as Required<CheckoutRequest>));
    } catch (error) {
      if (error instanceof CheckoutError) {
        logger.warn('checkout rejected', { userId: user.id, reason: error.message });
        res.status(error.status).json({ error: error.message });
        return;
      }
      throw error;
    }
    logger.info('order processing started', { orderId: order.id, userId: user.id, amount: order.total, itemCount: order.items?.length ?? 0, userRole: user.role });

    const payment = await payments.charge({ orderId: order.id, amount: order.total, currency: order.currency, method: order.paymentMethod });
    recordPaymentResult({ method: order.paymentMethod, outcome: paymentOutcome(payment) });
    const placed = { userRole: user.role, amount: order.total, currency: 'KRW', orderId: order.id } as const;
    if (payment.outcome === 'approved') {
      await orders.update({ id: order.id }, { status: 'confirmed' });
      recordOrderPlaced({ ...placed, status: 'confirmed' });
      logger.info('order confirmed', { orderId: order.id, amount: order.total, paymentMethod: order.paymentMethod });
      res.status(201).json({ id: order.id, status: 'confirmed', total: order.total, currency: order.currency });
      return;
    }

    await dataSource.transaction(async (manager) => {
      await release(manager, order);
      await manager.update(OrderEntity, { id: order.id }, { status: 'cancelled' });
    });
    recordOrderPlaced({ ...placed, status: 'cancelled' });
    logger.error('payment failed', { orderId: order.id, amount: order.total, paymentMethod: order.paymentMethod, errorCode: payment.code });
    res.status(payment.outcome === 'declined' ? 402 : 502).json({ id: order.id, status: 'cancelled', code: payment.code });
  });

  router.get('/orders/:id', async (req, res) => {
    const order = await orders.findOne({ where: { id: Number(req.params.id) }, relations: { items: true } });
    if (!order) {
      res.status(404).json({ error: 'order not found' });
      return;
    }
    const { customerEmail: _private, ...visible } = order;
    res.json(visible);
  });

  return router;
}
