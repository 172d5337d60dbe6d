import { and, asc, eq } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { orderLines, orderStatusChanges, orders, products, stores } from '../schema.ts';
import { OrderNotFoundError } from './errors.ts';
import type { OrderDetailDto } from './schemas.ts';
import { allowedTransitions } from './status-machine.ts';

/**
 * An order with its store, lines (with the products' names) and status history: three statements
 * whatever the number of lines or changes (ORD-015).
 */
export async function loadOrderDetail(tx: TenantTransaction, tenantId: string, orderId: string): Promise<OrderDetailDto> {
  const [row] = await tx
    .select({ order: orders, storeName: stores.name })
    .from(orders)
    .innerJoin(stores, and(eq(stores.tenantId, orders.tenantId), eq(stores.id, orders.storeId)))
    .where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)));
  if (!row) throw new OrderNotFoundError();
  const lines = await tx
    .select({
      position: orderLines.position,
      productId: orderLines.productId,
      productName: products.name,
      sku: products.sku,
      quantity: orderLines.quantity,
      unitPriceMinor: orderLines.unitPriceMinor,
    })
    .from(orderLines)
    .innerJoin(products, and(eq(products.tenantId, orderLines.tenantId), eq(products.id, orderLines.productId)))
    .where(and(eq(orderLines.tenantId, tenantId), eq(orderLines.orderId, orderId)))
    .orderBy(asc(orderLines.position));
  const history = await tx
    .select({ from: orderStatusChanges.fromStatus, to: orderStatusChanges.toStatus, by: orderStatusChanges.changedBy, at: orderStatusChanges.changedAt })
    .from(orderStatusChanges)
    .where(and(eq(orderStatusChanges.tenantId, tenantId), eq(orderStatusChanges.orderId, orderId)))
    // UUIDv7: a change is inserted after the previous one committed (they queue on the order's row).
    .orderBy(asc(orderStatusChanges.id));

  const { order } = row;
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    allowedTransitions: [...allowedTransitions(order.status)],
    store: { id: order.storeId, name: row.storeName },
    customer: { name: order.customerName, email: order.customerEmail },
    lines: lines.map((line) => ({ ...line, lineTotalMinor: line.unitPriceMinor * line.quantity })),
    subtotalMinor: order.subtotalMinor,
    discountMinor: order.discountMinor,
    taxMinor: order.taxMinor,
    totalMinor: order.totalMinor,
    currency: order.currency,
    notes: order.notes,
    version: order.version,
    statusHistory: history.map((change) => ({ ...change, at: change.at.toISOString() })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
