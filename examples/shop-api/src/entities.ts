/**
 * The shop's data model as TypeORM entity schemas (no decorators, so the example
 * compiles without experimental flags).
 */
import { EntitySchema } from 'typeorm';

export const USER_ROLES = ['customer', 'business', 'affiliate', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const ORDER_STATUSES = ['pending', 'confirmed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const PAYMENT_METHODS = ['card', 'bank_transfer', 'easy_pay'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Product {
  id: number;
  name: string;
  category: string;
  price: number;
  stock: number;
  /** Refilled by the restock job; a limited edition is not. */
  restockable: boolean;
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
}

export interface Order {
  id: number;
  userId: number;
  status: OrderStatus;
  total: number;
  currency: string;
  paymentMethod: PaymentMethod;
  /** Personal data kept by the shop; it must never reach telemetry. */
  customerEmail: string;
  createdAt: Date;
  items?: OrderItem[];
}

export interface OrderItem {
  id: number;
  orderId: number;
  productId: number;
  quantity: number;
  unitPrice: number;
}

export const ProductEntity = new EntitySchema<Product>({
  name: 'Product',
  tableName: 'products',
  columns: {
    id: { type: Number, primary: true, generated: true },
    name: { type: String },
    category: { type: String },
    price: { type: 'decimal', precision: 12, scale: 2, transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
    stock: { type: Number },
    restockable: { type: Boolean, default: true },
  },
});

export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: Number, primary: true, generated: true },
    email: { type: String, unique: true },
    name: { type: String },
    role: { type: String },
    createdAt: { type: Date, createDate: true },
  },
});

export const OrderEntity = new EntitySchema<Order>({
  name: 'Order',
  tableName: 'orders',
  columns: {
    id: { type: Number, primary: true, generated: true },
    userId: { type: Number },
    status: { type: String },
    total: { type: 'decimal', precision: 12, scale: 2, transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
    currency: { type: String },
    paymentMethod: { type: String },
    customerEmail: { type: String },
    createdAt: { type: Date, createDate: true },
  },
  relations: {
    items: { type: 'one-to-many', target: 'OrderItem', inverseSide: 'order', cascade: true },
  },
});

export const OrderItemEntity = new EntitySchema<OrderItem & { order?: Order }>({
  name: 'OrderItem',
  tableName: 'order_items',
  columns: {
    id: { type: Number, primary: true, generated: true },
    orderId: { type: Number },
    productId: { type: Number },
    quantity: { type: Number },
    unitPrice: { type: 'decimal', precision: 12, scale: 2, transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
  },
  relations: {
    order: { type: 'many-to-one', target: 'Order', joinColumn: { name: 'orderId' }, inverseSide: 'items' },
  },
});

export const ENTITIES = [ProductEntity, UserEntity, OrderEntity, OrderItemEntity];
