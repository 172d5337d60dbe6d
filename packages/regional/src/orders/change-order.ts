import { and, eq, sql } from 'drizzle-orm';
import { VersionConflictError, type TenantTransaction, type WithTenant } from '@keel/kernel';
import { orders, orderStatusChanges } from '../schema.ts';
import { OrderNotFoundError } from './errors.ts';
import { loadOrderDetail } from './order-detail.ts';
import { ORDER_EVENT_TYPES, emitOrderEvent } from './order-events.ts';
import type { OrderStatus } from './schema.ts';
import type { OrderDetailDto } from './schemas.ts';
import { assertTransition } from './status-machine.ts';

/**
 * Moves the order along the status machine (ORD-019): the version the client read must still be
 * the order's, checked again by the UPDATE itself, so of concurrent changes carrying one version
 * exactly one wins (ORD-020). Records the change and appends `order.status_changed`.
 */
export async function changeOrderStatus(withTenant: WithTenant, orderId: string, input: { status: OrderStatus; version: number; subject: string }): Promise<OrderDetailDto> {
  return withTenant(async (tx, tenantId) => {
    const current = await currentVersion(tx, tenantId, orderId, input.version);
    assertTransition(current.status, input.status);
    const row = await bumpVersion(tx, tenantId, orderId, input.version, { status: input.status });
    await tx.insert(orderStatusChanges).values({ tenantId, orderId, fromStatus: current.status, toStatus: input.status, changedBy: input.subject });
    await emitOrderEvent(tx, tenantId, {
      type: ORDER_EVENT_TYPES.statusChanged,
      payload: { orderId, number: row.number, from: current.status, to: input.status, version: row.version, by: input.subject },
    });
    return loadOrderDetail(tx, tenantId, orderId);
  });
}

/** Replaces the order's notes (ORD-021), versioned like a status change, and appends `order.changed`. */
export async function changeOrderNotes(withTenant: WithTenant, orderId: string, input: { notes: string; version: number; subject: string }): Promise<OrderDetailDto> {
  return withTenant(async (tx, tenantId) => {
    await currentVersion(tx, tenantId, orderId, input.version);
    const row = await bumpVersion(tx, tenantId, orderId, input.version, { notes: input.notes });
    await emitOrderEvent(tx, tenantId, { type: ORDER_EVENT_TYPES.changed, payload: { orderId, number: row.number, notes: row.notes, version: row.version, by: input.subject } });
    return loadOrderDetail(tx, tenantId, orderId);
  });
}

/** The order's status, once its version is seen to be the one the client sent: else 404 or 409. */
async function currentVersion(tx: TenantTransaction, tenantId: string, orderId: string, version: number): Promise<{ status: OrderStatus }> {
  const [row] = await tx
    .select({ status: orders.status, version: orders.version })
    .from(orders)
    .where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)));
  if (!row) throw new OrderNotFoundError();
  if (row.version !== version) throw new VersionConflictError();
  return row;
}

/**
 * The write itself, guarded by `version` in its WHERE: a concurrent change that committed after
 * our read makes it match no row (VERSION_CONFLICT). Orders are never deleted, so no row means that.
 */
async function bumpVersion(tx: TenantTransaction, tenantId: string, orderId: string, version: number, change: { status: OrderStatus } | { notes: string }) {
  const [row] = await tx
    .update(orders)
    .set({ ...change, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId), eq(orders.version, version)))
    .returning({ number: orders.number, version: orders.version, notes: orders.notes });
  if (!row) throw new VersionConflictError();
  return row;
}
