import { count, eq, sql } from 'drizzle-orm';
import { PlanLimitReachedError, type LimitName } from '@keel/central/contracts';
import type { TenantTransaction } from '@keel/kernel';
import { stores, webhookEndpoints } from '../schema.ts';
import { lockTenantPlan } from './tenant-plan.ts';

/** The limits one creation at a time is checked against; `importRowsPerMonth` is a batch's (importRowsLeft). */
export type EnforcedLimit = Extract<LimitName, 'stores' | 'ordersPerMonth' | 'webhookEndpoints'>;

/**
 * Refuses with 402 PLAN_LIMIT_REACHED when the tenant already has as many as its plan allows of
 * what `limit` counts; call it in the creating transaction, before the insert. It locks the tenant's
 * plan row first, so the count and the insert that follows are not raced by another creation
 * (SUB-034). `now` is the region clock's (the month of `ordersPerMonth`).
 */
export async function ensureRoomFor(tx: TenantTransaction, tenantId: string, limit: EnforcedLimit, now: Date): Promise<void> {
  const { limits } = await lockTenantPlan(tx, tenantId);
  const allowed = limits[limit];
  if (allowed === null) return;
  const used = await COUNTS[limit](tx, tenantId, now);
  if (used >= allowed) throw new PlanLimitReachedError({ details: [{ path: `limit.${limit}`, rule: 'plan_limit' }] });
}

/**
 * How many more rows the tenant may import this month (`import.rows` metered this month, in its
 * time zone, by the region clock's `now`), or null when its plan sets no limit. The plan row is
 * locked until commit, like every limited creation (SUB-034), so concurrent batches never exceed the
 * limit together; a batch records its `import.rows` in the same transaction.
 */
export async function importRowsLeft(tx: TenantTransaction, tenantId: string, now: Date): Promise<number | null> {
  const { limits } = await lockTenantPlan(tx, tenantId);
  if (limits.importRowsPerMonth === null) return null;
  const result = await tx.execute<{ rows: number }>(sql`select import_rows_this_month as rows from keel_plan_figures(${tenantId}::uuid, ${now.toISOString()}::timestamptz)`);
  return Math.max(0, limits.importRowsPerMonth - (result.rows[0]?.rows ?? 0));
}

const COUNTS: Record<EnforcedLimit, (tx: TenantTransaction, tenantId: string, now: Date) => Promise<number>> = {
  async stores(tx, tenantId) {
    const [row] = await tx.select({ value: count() }).from(stores).where(eq(stores.tenantId, tenantId));
    return row?.value ?? 0;
  },
  async ordersPerMonth(tx, tenantId, now) {
    const result = await tx.execute<{ orders: number }>(sql`select orders_this_month as orders from keel_tenant_usage(${tenantId}::uuid, ${now.toISOString()}::timestamptz)`);
    return result.rows[0]?.orders ?? 0;
  },
  async webhookEndpoints(tx, tenantId) {
    const [row] = await tx.select({ value: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId));
    return row?.value ?? 0;
  },
};
