import { and, asc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { orders, reviews, stores, tenants } from '../schema.ts';
import { OPEN_STATUSES, REVENUE_STATUSES } from '../orders/status-machine.ts';
import type { StoreWithFiguresDto } from './schemas.ts';
import { toStoreDto, type StoreRow } from './store-row.ts';

/** A store with its figures (specs/stores.md STO-006 … STO-015), as one statement reads them. */
export interface StoreWithFiguresRow extends StoreRow {
  reviewCount: number;
  averageRating: number | null;
  openOrders: number;
  revenueThisMonthMinor: number;
  currency: string;
}

export async function listStores(
  tx: TenantTransaction,
  tenantId: string,
  page: { limit: number; after?: string | undefined; now: Date },
): Promise<StoreWithFiguresRow[]> {
  return selectStoresWithFigures(tx, tenantId, page.now, page.after === undefined ? undefined : gt(stores.id, page.after), page.limit + 1);
}

/** The store with its figures; one statement, like a page of the list. */
export async function findStoreWithFigures(tx: TenantTransaction, tenantId: string, storeId: string, now: Date): Promise<StoreWithFiguresRow | undefined> {
  const [row] = await selectStoresWithFigures(tx, tenantId, now, eq(stores.id, storeId), 1);
  return row;
}

export async function findStore(tx: TenantTransaction, tenantId: string, storeId: string): Promise<StoreRow | undefined> {
  const [row] = await tx
    .select()
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
  return row;
}

/**
 * Stores of the tenant with their figures in ONE statement, whatever the number of stores, orders
 * and reviews: each figure is an aggregate in a lateral subquery over the store's own rows (by the
 * indexes that lead with tenant_id, store_id), never a query per store.
 *
 * "This month" is the calendar month of `now` (the region's clock) in the tenant's time zone, from
 * its first local midnight (inclusive) to the next month's (exclusive): `timestamptz AT TIME ZONE
 * zone` gives the local time, and a local time `AT TIME ZONE zone` the instant again, DST included.
 */
async function selectStoresWithFigures(tx: TenantTransaction, tenantId: string, now: Date, condition: SQL | undefined, limit: number): Promise<StoreWithFiguresRow[]> {
  const localNow = sql`(${now.toISOString()}::timestamptz at time zone ${tenants.timezone})`;
  const monthStart = sql`(date_trunc('month', ${localNow}) at time zone ${tenants.timezone})`;
  const nextMonthStart = sql`((date_trunc('month', ${localNow}) + interval '1 month') at time zone ${tenants.timezone})`;

  const reviewFigures = tx
    .select({
      reviewCount: sql<number>`count(*)::int`.as('review_count'),
      // numeric: exact, and round() takes halves away from zero
      averageRating: sql<string | null>`round(avg(${reviews.rating}), 2)`.as('average_rating'),
    })
    .from(reviews)
    .where(and(eq(reviews.tenantId, tenantId), eq(reviews.storeId, stores.id)))
    .as('review_figures');

  const openOrderFigures = tx
    .select({ openOrders: sql<number>`count(*)::int`.as('open_orders') })
    .from(orders)
    .where(and(eq(orders.tenantId, tenantId), eq(orders.storeId, stores.id), inArray(orders.status, [...OPEN_STATUSES])))
    .as('open_order_figures');

  const revenueFigures = tx
    .select({ revenueThisMonthMinor: sql<string>`coalesce(sum(${orders.totalMinor}), 0)::bigint`.as('revenue_this_month_minor') })
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, tenantId),
        eq(orders.storeId, stores.id),
        inArray(orders.status, [...REVENUE_STATUSES]),
        gte(orders.createdAt, monthStart),
        lt(orders.createdAt, nextMonthStart),
      ),
    )
    .as('revenue_figures');

  // Aggregates without GROUP BY yield exactly one row, so the cross joins keep every store.
  const rows = await tx
    .select({
      store: stores,
      currency: tenants.currency,
      reviewCount: reviewFigures.reviewCount,
      averageRating: reviewFigures.averageRating,
      openOrders: openOrderFigures.openOrders,
      revenueThisMonthMinor: revenueFigures.revenueThisMonthMinor,
    })
    .from(stores)
    .innerJoin(tenants, eq(tenants.tenantId, stores.tenantId))
    .crossJoinLateral(reviewFigures)
    .crossJoinLateral(openOrderFigures)
    .crossJoinLateral(revenueFigures)
    .where(and(eq(stores.tenantId, tenantId), condition))
    .orderBy(asc(stores.id))
    .limit(limit);

  return rows.map(({ store, currency, reviewCount, averageRating, openOrders, revenueThisMonthMinor }) => ({
    ...store,
    currency,
    reviewCount: Number(reviewCount),
    averageRating: averageRating === null ? null : Number(averageRating),
    openOrders: Number(openOrders),
    revenueThisMonthMinor: Number(revenueThisMonthMinor),
  }));
}

export function toStoreWithFiguresDto(row: StoreWithFiguresRow): StoreWithFiguresDto {
  const { reviewCount, averageRating, openOrders, revenueThisMonthMinor, currency } = row;
  return { ...toStoreDto(row), reviewCount, averageRating, openOrders, revenueThisMonthMinor, currency };
}
