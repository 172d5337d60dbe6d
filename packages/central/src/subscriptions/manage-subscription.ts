import { eq } from 'drizzle-orm';
import type { Clock, Database } from '@keel/kernel';
import type { PlanId } from '../contracts/plans.ts';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import { lockOrganizationAsMember } from '../members/organization-lock.ts';
import type { PaymentProvider } from './payments.ts';
import { findPlan, limitsOf } from './plans.ts';
import { subscriptions } from './schema.ts';
import type { SubscriptionDto } from './schemas.ts';
import { lockSubscription, type SubscriptionContext, type SubscriptionRow } from './subscription-changes.ts';
import { usageOf } from './usage.ts';

export interface SubscriptionDeps {
  database: Database;
  clock: Clock;
  payments: PaymentProvider;
}

/**
 * An owner's change of the organization's subscription (upgrade, downgrade, cancel, resume), in
 * one transaction under the organization's lock — the one member and API key changes take, so a
 * downgrade's usage check and a new member or key are counted one after the other — then the
 * subscription's. Not a member: 404 ORG_NOT_FOUND; not an owner: 403 FORBIDDEN_ROLE.
 */
export async function changeSubscription(
  deps: SubscriptionDeps,
  input: { organizationId: string; userId: string; change: (ctx: SubscriptionContext, row: SubscriptionRow) => Promise<SubscriptionRow> },
): Promise<SubscriptionDto> {
  return deps.database.transaction(async (tx) => {
    const { organization } = await lockOrganizationAsMember(tx, { organizationId: input.organizationId, userId: input.userId, minimum: 'owner' });
    const row = await lockSubscription(tx, organization.id);
    const ctx: SubscriptionContext = { tx, payments: deps.payments, now: deps.clock.now(), organization, actor: { userId: input.userId } };
    return toSubscriptionDto(tx, await input.change(ctx, row));
  });
}

/** The organization's subscription as its owner sees it (the caller has checked the role). */
export async function getSubscription(database: Database, organizationId: string): Promise<SubscriptionDto> {
  return database.transaction(async (tx) => {
    const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId));
    if (!row) throw new Error(`organization ${organizationId} has no subscription`);
    return toSubscriptionDto(tx, row);
  });
}

async function toSubscriptionDto(tx: CentralTransaction, row: SubscriptionRow): Promise<SubscriptionDto> {
  const plan = await findPlan(tx, row.plan as PlanId);
  return {
    organizationId: row.organizationId,
    plan: plan.id as PlanId,
    limits: limitsOf(plan),
    status: row.status,
    currentPeriodStart: row.currentPeriodStart.toISOString(),
    currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    pendingPlan: (row.pendingPlan as PlanId | null) ?? null,
    revision: row.revision,
    usage: await usageOf(tx, row.organizationId),
  };
}
