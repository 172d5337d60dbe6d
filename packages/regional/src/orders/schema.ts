import { sql } from 'drizzle-orm';
import { bigint, char, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { products } from '../products/schema.ts';
import { stores } from '../stores/schema.ts';
import { tenants } from '../tenants/schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'PACKED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURN_REQUESTED', 'RETURNED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
const statusList = sql.raw(ORDER_STATUSES.map((status) => `'${status}'`).join(', '));

/**
 * Each tenant's last order number. Taking the next one updates this row in the order's own
 * transaction: concurrent creations queue on the row, and a creation that fails rolls its number
 * back with it, so numbers have no gaps.
 */
export const orderNumbers = pgTable('order_numbers', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.tenantId),
  lastNumber: bigint('last_number', { mode: 'number' }).notNull(),
});

/** An order; money in minor units of the tenant's currency, totals computed by the server. */
export const orders = pgTable(
  'orders',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    number: bigint('number', { mode: 'number' }).notNull(),
    storeId: uuid('store_id').notNull(),
    customerName: text('customer_name').notNull(),
    customerEmail: text('customer_email').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('PENDING'),
    currency: char('currency', { length: 3 }).notNull(),
    subtotalMinor: bigint('subtotal_minor', { mode: 'number' }).notNull(),
    discountMinor: bigint('discount_minor', { mode: 'number' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    lineCount: integer('line_count').notNull(),
    notes: text('notes').notNull().default(''),
    /** The token subject that created it: a user id or `apikey:<id>`. */
    createdBy: text('created_by').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('orders_tenant_id_number_key').on(table.tenantId, table.number),
    index('orders_tenant_id_store_id_status_idx').on(table.tenantId, table.storeId, table.status),
    index('orders_tenant_id_status_id_idx').on(table.tenantId, table.status, table.id),
    index('orders_tenant_id_created_at_idx').on(table.tenantId, table.createdAt),
    foreignKey({ columns: [table.tenantId, table.storeId], foreignColumns: [stores.tenantId, stores.id], name: 'orders_store_fk' }),
    check('orders_status_check', sql`${table.status} in (${statusList})`),
    check('orders_money_check', sql`${table.subtotalMinor} >= 0 and ${table.discountMinor} >= 0 and ${table.discountMinor} <= ${table.subtotalMinor} and ${table.taxMinor} >= 0 and ${table.totalMinor} = ${table.subtotalMinor} - ${table.discountMinor} + ${table.taxMinor}`),
  ],
);

/** An order's lines, with the unit price captured when the order was made. */
export const orderLines = pgTable(
  'order_lines',
  {
    tenantId: uuid('tenant_id').notNull(),
    orderId: uuid('order_id').notNull(),
    position: integer('position').notNull(),
    productId: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.orderId, table.position] }),
    index('order_lines_tenant_id_product_id_idx').on(table.tenantId, table.productId),
    foreignKey({ columns: [table.tenantId, table.orderId], foreignColumns: [orders.tenantId, orders.id], name: 'order_lines_order_fk' }).onDelete('cascade'),
    foreignKey({ columns: [table.tenantId, table.productId], foreignColumns: [products.tenantId, products.id], name: 'order_lines_product_fk' }),
    check('order_lines_quantity_check', sql`${table.quantity} > 0`),
    check('order_lines_unit_price_check', sql`${table.unitPriceMinor} >= 0`),
  ],
);

/** Every status change of an order: from, to, who, when. */
export const orderStatusChanges = pgTable(
  'order_status_changes',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    orderId: uuid('order_id').notNull(),
    /** Null for the creation. */
    fromStatus: text('from_status', { enum: ORDER_STATUSES }),
    toStatus: text('to_status', { enum: ORDER_STATUSES }).notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: at('changed_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('order_status_changes_tenant_id_order_id_idx').on(table.tenantId, table.orderId),
    foreignKey({ columns: [table.tenantId, table.orderId], foreignColumns: [orders.tenantId, orders.id], name: 'order_status_changes_order_fk' }).onDelete('cascade'),
  ],
);

/**
 * `Idempotency-Key`s of order creations: the first request's body hash and the order it made; a
 * retry with the same key and body gets that order, with another body 409 IDEMPOTENCY_KEY_REUSED.
 */
export const orderIdempotencyKeys = pgTable(
  'order_idempotency_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    orderId: uuid('order_id').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.key] }),
    foreignKey({ columns: [table.tenantId, table.orderId], foreignColumns: [orders.tenantId, orders.id], name: 'order_idempotency_keys_order_fk' }).onDelete('cascade'),
  ],
);
