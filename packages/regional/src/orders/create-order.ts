import { and, eq, inArray, sql } from 'drizzle-orm';
import { SQLSTATE, postgresErrorOf, type ErrorDetail, type TenantTransaction, type WithTenant } from '@keel/kernel';
import { orderIdempotencyKeys, orderLines, orderNumbers, orders, orderStatusChanges, products } from '../schema.ts';
import { ensureRoomFor } from '../plans/plan-limits.ts';
import { recordUsage } from '../plans/usage-meter.ts';
import { StoreNotFoundError } from '../stores/errors.ts';
import { findStore } from '../stores/queries.ts';
import { rethrowUnprovisionedTenant } from '../tenants/provisioning-guard.ts';
import { tenantSettings } from '../tenants/tenant-settings.ts';
import {
  IdempotencyKeyReusedError,
  OrderAmountTooLargeError,
  OrderDiscountExceedsSubtotalError,
  OrderProductInactiveError,
  OrderProductNotFoundError,
} from './errors.ts';
import { loadOrderDetail } from './order-detail.ts';
import { ORDER_EVENT_TYPES, emitOrderEvent } from './order-events.ts';
import { requestHash } from './request-hash.ts';
import { ORDER_LIMITS, type CreateOrderInput, type OrderDetailDto } from './schemas.ts';

export interface CreateOrderRequest {
  body: CreateOrderInput;
  /** The token's subject: who created the order (the first status history entry). */
  subject: string;
  idempotencyKey?: string | undefined;
  /** The region clock's now: the month whose orders the plan's `ordersPerMonth` counts. */
  now: Date;
}

/** `created` false: a retry with a known `Idempotency-Key` and the same body got the first order. */
export interface CreateOrderResult {
  order: OrderDetailDto;
  created: boolean;
}

/**
 * One transaction (ORD-006): the checks of ORD-007..010 first, then the plan's room for one more
 * order this month (SUB-033, under the tenant's plan lock: SUB-034), then the next number (ORD-001),
 * the order, its lines, its first status change, the idempotency key, `order.created` and its usage
 * (SUB-038). Any refusal rolls it all back, number included (ORD-011).
 */
export async function createOrder(withTenant: WithTenant, request: CreateOrderRequest): Promise<CreateOrderResult> {
  try {
    return await withTenant((tx, tenantId) => createOrderIn(tx, tenantId, request));
  } catch (error) {
    return rethrowOrderWriteError(error);
  }
}

/** The work of `createOrder` inside the caller's transaction (a CSV import's batch, one savepoint per row). */
export async function createOrderIn(tx: TenantTransaction, tenantId: string, request: CreateOrderRequest): Promise<CreateOrderResult> {
  const { currency } = await tenantSettings(tx, tenantId);
  const idempotency = request.idempotencyKey === undefined ? undefined : { key: request.idempotencyKey, requestHash: requestHash(request.body) };
  if (idempotency) {
    const earlier = await claimIdempotencyKey(tx, tenantId, idempotency.key);
    if (earlier) {
      if (earlier.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReusedError();
      return { order: await loadOrderDetail(tx, tenantId, earlier.orderId), created: false };
    }
  }
  const { body } = request;
  if (!(await findStore(tx, tenantId, body.storeId))) {
    throw new StoreNotFoundError({ details: [{ path: 'body.storeId', rule: 'not_found' }] });
  }
  const lines = await priceLines(tx, tenantId, body.lines);
  const subtotal = lines.reduce((sum, line) => sum + BigInt(line.unitPriceMinor) * BigInt(line.quantity), 0n);
  if (subtotal > BigInt(ORDER_LIMITS.maxAmountMinor)) throw new OrderAmountTooLargeError();
  const subtotalMinor = Number(subtotal);
  if (body.discountMinor > subtotalMinor) throw new OrderDiscountExceedsSubtotalError();
  const totalMinor = subtotalMinor - body.discountMinor + body.taxMinor;
  await ensureRoomFor(tx, tenantId, 'ordersPerMonth', request.now);

  const number = await nextOrderNumber(tx, tenantId);
  const [inserted] = await tx
    .insert(orders)
    .values({
      tenantId,
      number,
      storeId: body.storeId,
      customerName: body.customer.name,
      customerEmail: body.customer.email,
      status: 'PENDING',
      currency,
      subtotalMinor,
      discountMinor: body.discountMinor,
      taxMinor: body.taxMinor,
      totalMinor,
      lineCount: lines.length,
      notes: body.notes,
      createdBy: request.subject,
    })
    .returning();
  const order = inserted!;
  await tx.insert(orderLines).values(lines.map((line, index) => ({ tenantId, orderId: order.id, position: index + 1, ...line })));
  await tx.insert(orderStatusChanges).values({ tenantId, orderId: order.id, fromStatus: null, toStatus: 'PENDING', changedBy: request.subject });
  if (idempotency) await tx.insert(orderIdempotencyKeys).values({ tenantId, ...idempotency, orderId: order.id });
  await emitOrderEvent(tx, tenantId, {
    type: ORDER_EVENT_TYPES.created,
    payload: {
      orderId: order.id,
      number,
      storeId: order.storeId,
      status: order.status,
      version: order.version,
      currency,
      subtotalMinor,
      discountMinor: order.discountMinor,
      taxMinor: order.taxMinor,
      totalMinor,
      lineCount: lines.length,
      by: request.subject,
    },
  });
  await recordUsage(tx, tenantId, 'orders.created');
  return { order: await loadOrderDetail(tx, tenantId, order.id), created: true };
}

/**
 * The store or a product was deleted by a transaction that committed after the checks above read
 * it: the foreign keys refuse the order, with the answer the checks would have given (ORD-008, ORD-009).
 */
export function rethrowOrderWriteError(error: unknown): never {
  const constraint = postgresErrorOf(error, SQLSTATE.foreignKeyViolation)?.constraint;
  if (constraint === 'orders_store_fk') throw new StoreNotFoundError({ cause: error, details: [{ path: 'body.storeId', rule: 'not_found' }] });
  if (constraint === 'order_lines_product_fk') throw new OrderProductNotFoundError({ cause: error });
  return rethrowUnprovisionedTenant(error);
}

/**
 * Requests with one key queue on a transaction-scoped advisory lock, so the second sees the
 * first's key (and order) once it has committed, instead of creating a second order (ORD-014).
 */
async function claimIdempotencyKey(tx: TenantTransaction, tenantId: string, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`order-idempotency:${tenantId}:${key}`}, 0))`);
  const [row] = await tx
    .select({ requestHash: orderIdempotencyKeys.requestHash, orderId: orderIdempotencyKeys.orderId })
    .from(orderIdempotencyKeys)
    .where(and(eq(orderIdempotencyKeys.tenantId, tenantId), eq(orderIdempotencyKeys.key, key)));
  return row;
}

/**
 * The lines with their products' current prices, loaded in one statement; every line whose product
 * the tenant does not have (or has inactive) is named in the error's details (ORD-008).
 */
async function priceLines(tx: TenantTransaction, tenantId: string, lines: CreateOrderInput['lines']) {
  const ids = [...new Set(lines.map((line) => line.productId))];
  const found = await tx
    .select({ id: products.id, priceMinor: products.priceMinor, active: products.active })
    .from(products)
    .where(and(eq(products.tenantId, tenantId), inArray(products.id, ids)));
  const byId = new Map(found.map((product) => [product.id, product]));
  const offending = (rule: string, test: (product: (typeof found)[number] | undefined) => boolean): ErrorDetail[] =>
    lines.flatMap((line, index) => (test(byId.get(line.productId)) ? [{ path: `body.lines.${index}.productId`, rule }] : []));
  const missing = offending('not_found', (product) => product === undefined);
  if (missing.length > 0) throw new OrderProductNotFoundError({ details: missing });
  const inactive = offending('inactive', (product) => product?.active === false);
  if (inactive.length > 0) throw new OrderProductInactiveError({ details: inactive });
  return lines.map((line) => ({ productId: line.productId, quantity: line.quantity, unitPriceMinor: byId.get(line.productId)!.priceMinor }));
}

/**
 * The tenant's next number, from its `order_numbers` row (ORD-001): concurrent creations queue on
 * the row until the holder commits or rolls back, so numbers are unique, increasing and gapless.
 */
async function nextOrderNumber(tx: TenantTransaction, tenantId: string): Promise<number> {
  const [row] = await tx
    .insert(orderNumbers)
    .values({ tenantId, lastNumber: 1 })
    .onConflictDoUpdate({ target: orderNumbers.tenantId, set: { lastNumber: sql`${orderNumbers.lastNumber} + 1` } })
    .returning({ lastNumber: orderNumbers.lastNumber });
  return row!.lastNumber;
}
