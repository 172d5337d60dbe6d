import { and, desc, eq, gte, inArray, lt, or, sql, type Column, type SQL } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { orders, stores } from '../schema.ts';
import type { ListOrdersQuery, OrderListItemDto } from './schemas.ts';

/** `123` or `#123`: a search that can be an order number. */
const ORDER_NUMBER = /^#?(\d{1,15})$/;

/**
 * One page of the tenant's orders, newest first, with their store's name: one statement whatever
 * the number of orders (ORD-017); line count and total are columns of the order.
 */
export async function listOrders(tx: TenantTransaction, tenantId: string, query: ListOrdersQuery): Promise<OrderListItemDto[]> {
  const rows = await tx
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      storeId: orders.storeId,
      storeName: stores.name,
      customerName: orders.customerName,
      customerEmail: orders.customerEmail,
      lineCount: orders.lineCount,
      totalMinor: orders.totalMinor,
      currency: orders.currency,
      createdAt: orders.createdAt,
      version: orders.version,
    })
    .from(orders)
    .innerJoin(stores, and(eq(stores.tenantId, orders.tenantId), eq(stores.id, orders.storeId)))
    .where(and(eq(orders.tenantId, tenantId), ...filters(query)))
    .orderBy(desc(orders.id))
    .limit(query.limit + 1);
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    status: row.status,
    store: { id: row.storeId, name: row.storeName },
    customer: { name: row.customerName, email: row.customerEmail },
    lineCount: row.lineCount,
    totalMinor: row.totalMinor,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
    version: row.version,
  }));
}

/** ORD-018: every filter given narrows the list (AND). */
function filters(query: ListOrdersQuery): SQL[] {
  const conditions: (SQL | undefined)[] = [
    query.status === undefined ? undefined : inArray(orders.status, query.status),
    query.storeId === undefined ? undefined : eq(orders.storeId, query.storeId),
    query.from === undefined ? undefined : gte(orders.createdAt, new Date(query.from)),
    query.to === undefined ? undefined : lt(orders.createdAt, new Date(query.to)),
    query.q === undefined ? undefined : search(query.q),
    query.cursor === undefined ? undefined : lt(orders.id, query.cursor),
  ];
  return conditions.filter((condition) => condition !== undefined);
}

/** The order number exactly, or a part of the customer's name or email in any letter case (no wildcards: `%` is a character). */
function search(q: string): SQL {
  const number = ORDER_NUMBER.exec(q)?.[1];
  const contains = (column: Column) => sql`strpos(lower(${column}), lower(${q})) > 0`;
  return or(number === undefined ? undefined : eq(orders.number, Number(number)), contains(orders.customerName), contains(orders.customerEmail))!;
}
