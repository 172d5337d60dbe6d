import { eq } from 'drizzle-orm';
import { TENANT_PLAN_CHANGED, type LimitName, type PlanId, type TenantPlanChangedPayload } from '../contracts/plans.ts';
import { appendToFeed, type CentralEvent, type CentralTransaction } from '../feed/append-to-feed.ts';
import { recordAudit, type AuditAction } from '../audit/record-audit.ts';
import { PaymentDeclinedError, PlanChangeInvalidError, PlanDowngradeBlockedError, SubscriptionNotResumableError } from './errors.ts';
import type { PaymentProvider } from './payments.ts';
import { addMonths, periodEndAfter } from './periods.ts';
import { findPlan, limitsOf, type PlanRow } from './plans.ts';
import { subscriptions } from './schema.ts';
import { usageOf } from './usage.ts';

/**
 * The subscription's state machine (specs/subscriptions.md): each function changes one locked
 * subscription row in the caller's transaction, with its audit entry and — when what the region
 * enforces changes (plan, limits, access) — its `tenant.plan_changed` event. Every change first
 * applies the period ends that have passed by central's clock, so the answer never depends on
 * whether the scheduler got there first.
 */

export type SubscriptionRow = typeof subscriptions.$inferSelect;

export interface SubscriptionContext {
  tx: CentralTransaction;
  payments: PaymentProvider;
  /** Central's clock, read once the row is locked. */
  now: Date;
  organization: { id: string; homeRegion: string };
  /** The owner who asks, or the system at a period end. */
  actor: { userId: string } | 'system';
}

/** Limits a downgrade checks against current usage; the monthly ones reset with the month, so they never block it. */
const STANDING_LIMITS = ['stores', 'members', 'webhookEndpoints', 'apiKeys'] as const satisfies readonly LimitName[];

/** Free's subscription row and its `tenant.plan_changed` (revision 1), for a new organization. */
export async function startFreeSubscription(tx: CentralTransaction, input: { organizationId: string; homeRegion: string; now: Date }): Promise<CentralEvent> {
  const [row] = await tx
    .insert(subscriptions)
    .values({ organizationId: input.organizationId, plan: 'free', status: 'active', currentPeriodStart: input.now, revision: 1, updatedAt: input.now })
    .returning();
  return planChangedEvent(input.homeRegion, row!, await findPlan(tx, 'free'), input.now);
}

/** The organization's subscription, locked (`FOR UPDATE`) until the transaction ends. */
export async function lockSubscription(tx: CentralTransaction, organizationId: string): Promise<SubscriptionRow> {
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId)).for('update');
  if (!row) throw new Error(`organization ${organizationId} has no subscription`);
  return row;
}

/** Applies every period end at or before now, one period after the other (no one's act: the system's, in the audit log). */
export async function settleDue(ctx: SubscriptionContext, row: SubscriptionRow): Promise<SubscriptionRow> {
  const system: SubscriptionContext = { ...ctx, actor: 'system' };
  let current = row;
  while (current.currentPeriodEnd !== null && current.currentPeriodEnd.getTime() <= ctx.now.getTime()) current = await endPeriod(system, current);
  return current;
}

/**
 * An upgrade applies at once: the new plan is charged and starts a monthly period now, withdrawing
 * a cancellation and dropping a pending downgrade. An ended subscription may take any plan, Free
 * included: that subscribes again and restores access.
 */
export async function upgrade(ctx: SubscriptionContext, row: SubscriptionRow, target: PlanId): Promise<SubscriptionRow> {
  const current = await settleDue(ctx, row);
  const [from, to] = [await findPlan(ctx.tx, current.plan as PlanId), await findPlan(ctx.tx, target)];
  const resubscribing = current.status === 'ended';
  if (!resubscribing && to.rank <= from.rank) throw new PlanChangeInvalidError();
  const details = {
    from: from.id,
    to: to.id,
    ...(resubscribing ? { resubscribed: true } : {}),
    ...(current.cancelAtPeriodEnd ? { cancellationWithdrawn: true } : {}),
    ...(current.pendingPlan !== null ? { pendingPlanDropped: current.pendingPlan } : {}),
  };
  if (target === 'free') return apply(ctx, current, { status: 'active', currentPeriodStart: ctx.now }, { action: 'subscription.upgraded', details, at: ctx.now });
  const periodEnd = addMonths(ctx.now, 1);
  // One key per attempt: a declined attempt rolls back, and the next one (a new card) is charged anew.
  const charge = await ctx.payments.charge({
    organizationId: ctx.organization.id,
    plan: target,
    amountMinor: to.priceMinor,
    currency: to.currency,
    reason: 'upgrade',
    period: { start: ctx.now, end: periodEnd },
    idempotencyKey: `upgrade:${ctx.organization.id}:${current.revision + 1}:${ctx.now.toISOString()}`,
  });
  return apply(
    ctx,
    current,
    { plan: target, status: 'active', currentPeriodStart: ctx.now, currentPeriodEnd: periodEnd, periodAnchor: ctx.now, cancelAtPeriodEnd: false, pendingPlan: null },
    { action: 'subscription.upgraded', details: { ...details, chargeId: charge.id, amountMinor: to.priceMinor, currency: to.currency, periodEnd: periodEnd.toISOString() }, at: ctx.now },
  );
}

/**
 * A downgrade takes effect at the period end (pending until then; it withdraws a cancellation).
 * Refused while the organization uses more than the target plan allows of a standing limit.
 */
export async function scheduleDowngrade(ctx: SubscriptionContext, row: SubscriptionRow, target: PlanId): Promise<SubscriptionRow> {
  const current = await settleDue(ctx, row);
  const [from, to] = [await findPlan(ctx.tx, current.plan as PlanId), await findPlan(ctx.tx, target)];
  if (current.status === 'ended' || to.rank >= from.rank) throw new PlanChangeInvalidError();
  const usage = await usageOf(ctx.tx, ctx.organization.id);
  const limits = limitsOf(to);
  const exceeded = STANDING_LIMITS.filter((name) => {
    const used = usage[name];
    const allowed = limits[name];
    return used !== null && allowed !== null && used > allowed;
  });
  if (exceeded.length > 0) throw new PlanDowngradeBlockedError({ details: exceeded.map((name) => ({ path: `usage.${name}`, rule: 'plan_limit' })) });
  if (current.pendingPlan === target && !current.cancelAtPeriodEnd) return current;
  return apply(
    ctx,
    current,
    { pendingPlan: target, cancelAtPeriodEnd: false },
    {
      action: 'subscription.downgrade_scheduled',
      details: { from: from.id, to: to.id, effectiveAt: current.currentPeriodEnd!.toISOString(), ...(current.cancelAtPeriodEnd ? { cancellationWithdrawn: true } : {}) },
      at: ctx.now,
    },
  );
}

/**
 * Cancelling Free ends access now; cancelling a paid plan keeps it until the period end, then
 * falls back to Free (a pending downgrade is dropped: the cancellation decides). Cancelling what is
 * already cancelled changes nothing.
 */
export async function cancel(ctx: SubscriptionContext, row: SubscriptionRow): Promise<SubscriptionRow> {
  const current = await settleDue(ctx, row);
  if (current.status === 'ended' || current.cancelAtPeriodEnd) return current;
  if (current.plan === 'free') return apply(ctx, current, { status: 'ended' }, { action: 'subscription.cancelled', details: { plan: 'free', accessEnded: ctx.now.toISOString() }, at: ctx.now });
  return apply(
    ctx,
    current,
    { cancelAtPeriodEnd: true, pendingPlan: null },
    {
      action: 'subscription.cancelled',
      details: { plan: current.plan, accessUntil: current.currentPeriodEnd!.toISOString(), ...(current.pendingPlan !== null ? { pendingPlanDropped: current.pendingPlan } : {}) },
      at: ctx.now,
    },
  );
}

/** Withdraws a paid plan's cancellation before its period end; anything else is not resumable. */
export async function resume(ctx: SubscriptionContext, row: SubscriptionRow): Promise<SubscriptionRow> {
  const current = await settleDue(ctx, row);
  if (!current.cancelAtPeriodEnd) throw new SubscriptionNotResumableError();
  return apply(ctx, current, { cancelAtPeriodEnd: false }, { action: 'subscription.resumed', details: { plan: current.plan }, at: ctx.now });
}

/**
 * One period end: a cancelled subscription falls back to Free; a pending downgrade takes effect
 * (charged, with a new period from now on, when it is a paid plan); otherwise the plan renews for
 * the next period of its anchor, charged once per period whatever re-runs (the key is the period's).
 * A declined charge falls back to Free, data kept, like a cancellation.
 */
async function endPeriod(ctx: SubscriptionContext, row: SubscriptionRow): Promise<SubscriptionRow> {
  const end = row.currentPeriodEnd!;
  const fallBack = (reason: 'cancelled' | 'payment_declined', extra: Record<string, unknown> = {}) =>
    apply(ctx, row, freeFrom(end), { action: 'subscription.fell_back_to_free', details: { from: row.plan, reason, ...extra }, at: end });
  if (row.cancelAtPeriodEnd) return fallBack('cancelled');
  const downgrade = row.pendingPlan !== null;
  const next = (row.pendingPlan ?? row.plan) as PlanId;
  if (next === 'free') return apply(ctx, row, freeFrom(end), { action: 'subscription.downgraded', details: { from: row.plan, to: 'free' }, at: end });
  const plan = await findPlan(ctx.tx, next);
  const anchor = downgrade ? end : row.periodAnchor!;
  const periodEnd = periodEndAfter(anchor, end);
  let chargeId: string;
  try {
    ({ id: chargeId } = await ctx.payments.charge({
      organizationId: ctx.organization.id,
      plan: next,
      amountMinor: plan.priceMinor,
      currency: plan.currency,
      reason: downgrade ? 'downgrade' : 'renewal',
      period: { start: end, end: periodEnd },
      idempotencyKey: `period:${ctx.organization.id}:${end.toISOString()}`,
    }));
  } catch (error) {
    if (error instanceof PaymentDeclinedError) return fallBack('payment_declined', { declinedPlan: next });
    throw error;
  }
  const charged = { chargeId, amountMinor: plan.priceMinor, currency: plan.currency, periodStart: end.toISOString(), periodEnd: periodEnd.toISOString() };
  return apply(
    ctx,
    row,
    { plan: next, currentPeriodStart: end, currentPeriodEnd: periodEnd, periodAnchor: anchor, pendingPlan: null },
    downgrade ? { action: 'subscription.downgraded', details: { from: row.plan, to: next, ...charged }, at: end } : { action: 'subscription.renewed', details: { plan: next, ...charged }, at: end },
  );
}

function freeFrom(start: Date): Partial<SubscriptionRow> {
  return { plan: 'free', currentPeriodStart: start, currentPeriodEnd: null, periodAnchor: null, cancelAtPeriodEnd: false, pendingPlan: null };
}

/**
 * Writes the change with the next revision and its audit entry; publishes `tenant.plan_changed`
 * when the plan or the access changed (`changedAt`: when it took effect — now, or the period end).
 */
async function apply(
  ctx: SubscriptionContext,
  current: SubscriptionRow,
  patch: Partial<SubscriptionRow>,
  change: { action: AuditAction; details: Record<string, unknown>; at: Date },
): Promise<SubscriptionRow> {
  const [next] = await ctx.tx
    .update(subscriptions)
    .set({ ...patch, revision: current.revision + 1, updatedAt: ctx.now })
    .where(eq(subscriptions.organizationId, current.organizationId))
    .returning();
  const changed = next!;
  if (changed.plan !== current.plan || changed.status !== current.status) {
    await appendToFeed(ctx.tx, [planChangedEvent(ctx.organization.homeRegion, changed, await findPlan(ctx.tx, changed.plan as PlanId), change.at)]);
  }
  await recordAudit(ctx.tx, { organizationId: current.organizationId, actor: ctx.actor, action: change.action, details: { ...change.details, revision: changed.revision }, at: change.at });
  return changed;
}

function planChangedEvent(region: string, row: SubscriptionRow, plan: PlanRow, at: Date): CentralEvent {
  const payload: TenantPlanChangedPayload = {
    tenantId: row.organizationId,
    plan: plan.id as PlanId,
    limits: limitsOf(plan),
    access: row.status,
    revision: row.revision,
    changedAt: at.toISOString(),
  };
  return { type: TENANT_PLAN_CHANGED, tenantId: row.organizationId, region, payload };
}
