import { eq } from 'drizzle-orm';
import type { LimitName, PlanLimits } from '../contracts/plans.ts';
import { PlanLimitReachedError } from '../contracts/plan-errors.ts';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import { limitsOf } from './plans.ts';
import { plans, subscriptions } from './schema.ts';

/** The limits of the organization's plan now. */
export async function planLimitsOf(tx: CentralTransaction, organizationId: string): Promise<PlanLimits> {
  const [row] = await tx.select({ plan: plans }).from(subscriptions).innerJoin(plans, eq(plans.id, subscriptions.plan)).where(eq(subscriptions.organizationId, organizationId));
  // Every organization has one: created with it (and given to those before it by migration 0012).
  if (!row) throw new Error(`organization ${organizationId} has no subscription`);
  return limitsOf(row.plan);
}

/**
 * Refuses one more of `limit` when the organization already uses `used` and its plan allows no
 * more: 402 PLAN_LIMIT_REACHED naming `limit.<name>`. Call it under the organization's lock
 * (members/organization-lock.ts) with `used` counted under it, so concurrent additions are
 * counted one after the other and never exceed the limit together.
 */
export async function requireRoomFor(tx: CentralTransaction, organizationId: string, limit: LimitName, used: number): Promise<void> {
  const allowed = (await planLimitsOf(tx, organizationId))[limit];
  if (allowed !== null && used >= allowed) throw new PlanLimitReachedError({ details: [{ path: `limit.${limit}`, rule: 'plan_limit' }] });
}
