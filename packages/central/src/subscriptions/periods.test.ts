import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool, type Database } from '@keel/kernel';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import {
  addMember,
  centralClient,
  changeSubscription,
  createApiKey,
  expectError,
  invitationToken,
  newEmail,
  planEventsOf,
  subscriptionAuditOf,
  subscriptionOf,
  tokenForApiKey,
  upgradePlan,
  type CentralClient,
  type Owner,
  type SubscriptionView,
} from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { PaymentDeclinedError } from './errors.ts';
import { changeSubscription as changeSubscriptionInCentral } from './manage-subscription.ts';
import { createDevelopmentPaymentProvider, type ChargeRequest, type PaymentProvider } from './payments.ts';
import { createPeriodScheduler, createSubscriptionPeriods } from './period-scheduler.ts';
import { addMonths, periodEndAfter } from './periods.ts';
import { upgrade } from './subscription-changes.ts';

/**
 * Period ends and the cancellation rule, with time on central's clock (the test's ManualClock).
 * Changes go over real HTTP; period ends are processed by central's own processing, created here
 * on central's database with a recording development provider (`processDue`), as each central
 * instance's scheduler does every interval — the scheduler's loop is tested once, at the end.
 */

let keel: TestKeel;
let client: CentralClient;
let pool: pg.Pool;
let database: Database;
const { logger } = createCapturingLogger();
const { reporter, reported } = createCapturingReporter();
const recorded = recordingProvider();

beforeAll(async () => {
  // An empty CENTRAL_JWKS_URL counts as unset: the region trusts central's own keys; the many sign-ups from one address stay under its limit.
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '', AUTH_RATE_LIMIT_PER_IP: '10000' });
  client = centralClient(keel);
  pool = createPool(keel.databases.central.app, { applicationName: 'keel-central-periods-test', logger });
  database = createDatabase(pool);
});

afterAll(async () => {
  await pool?.end();
  await keel?.stop();
});

const FREE = { stores: 1, members: 3, ordersPerMonth: 100, importRowsPerMonth: 1_000, webhookEndpoints: 1, apiKeys: 1 };

describe('SUB-006 monthly periods', () => {
  it.each([
    { anchor: '2027-01-31T10:00:00.000Z', months: 1, end: '2027-02-28T10:00:00.000Z' },
    { anchor: '2027-01-31T10:00:00.000Z', months: 2, end: '2027-03-31T10:00:00.000Z' },
    { anchor: '2028-01-31T23:59:59.999Z', months: 1, end: '2028-02-29T23:59:59.999Z' },
    { anchor: '2027-08-31T12:00:00.000Z', months: 1, end: '2027-09-30T12:00:00.000Z' },
    { anchor: '2027-03-15T08:30:00.000Z', months: 1, end: '2027-04-15T08:30:00.000Z' },
    { anchor: '2027-12-31T00:00:00.000Z', months: 1, end: '2028-01-31T00:00:00.000Z' },
  ])('SUB-006 a plan started at $anchor has, $months month(s) on, a period end at $end', ({ anchor, months, end }) => {
    expect(addMonths(new Date(anchor), months).toISOString()).toBe(end);
  });

  it("SUB-006 SUB-019 a plan started on a 31st renews on the last day of a shorter month, then on the 31st again, each period following the last", async () => {
    const now = keel.clock.now();
    const year = now.getUTCFullYear() + (now.getTime() < Date.UTC(now.getUTCFullYear(), 0, 31, 10) ? 0 : 1);
    clockAt(new Date(Date.UTC(year, 0, 31, 10)));
    const owner = await ownerOn('pro');
    const ends = [];
    for (let period = 0; period < 3; period += 1) {
      const { currentPeriodEnd } = await subscriptionOf(client, owner);
      ends.push(currentPeriodEnd!.slice(5));
      clockAt(currentPeriodEnd!);
      await processDue();
    }
    const february = new Date(Date.UTC(year, 2, 0)).getUTCDate();
    expect(ends).toEqual([`02-${february}T10:00:00.000Z`, '03-31T10:00:00.000Z', '04-30T10:00:00.000Z']);
    expect(periodEndAfter(new Date(Date.UTC(year, 0, 31, 10)), new Date(Date.UTC(year, 3, 30, 10))).toISOString().slice(5)).toBe('05-31T10:00:00.000Z');
  });
});

describe('SUB-019 renewal at the period end', () => {
  it('SUB-019 a paid plan renews: charged with the period\'s idempotency key, the next period from the old end, subscription.renewed audited, nothing published', async () => {
    const owner = await ownerOn('pro');
    const before = await subscriptionOf(client, owner);
    const end = before.currentPeriodEnd!;
    const nextEnd = periodEndAfter(new Date(before.currentPeriodStart), new Date(end)).toISOString();
    clockAt(end);
    await processDue();
    expect(await subscriptionOf(client, owner)).toEqual({ ...before, currentPeriodStart: end, currentPeriodEnd: nextEnd, revision: before.revision + 1 });
    const renewal = { plan: 'pro', amountMinor: 4_900, currency: 'USD', reason: 'renewal', period: { start: end, end: nextEnd }, idempotencyKey: `period:${owner.organization.id}:${end}` };
    expect(chargesOf(owner).at(-1)).toEqual(renewal);
    expect((await planEvents(owner)).map((event) => event.revision)).toEqual([1, 2]);
    expect((await subscriptionAudit(owner)).at(-1)).toEqual({
      action: 'subscription.renewed',
      actor: null,
      details: { plan: 'pro', chargeId: expect.stringMatching(/^dev_/), amountMinor: 4_900, currency: 'USD', periodStart: end, periodEnd: nextEnd, revision: before.revision + 1 },
    });
  });
});

describe('SUB-007 a pending downgrade at the period end', () => {
  it.each([
    { from: 'platinum', to: 'pro', charged: [{ plan: 'pro', amountMinor: 4_900, reason: 'downgrade' }] },
    { from: 'pro', to: 'free', charged: [] },
  ])('SUB-007 $from downgraded to $to stays $from until the period end, then becomes $to, published then', async ({ from, to, charged }) => {
    const owner = await ownerOn(from);
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'downgrade', to)).status).toBe(200);
    const pending = await subscriptionOf(client, owner);
    const end = pending.currentPeriodEnd!;
    const events = await planEvents(owner);
    const charges = chargesOf(owner).length;
    clockAt(justBefore(end));
    await processDue();
    expect({ subscription: await subscriptionOf(client, owner), events: await planEvents(owner) }).toEqual({ subscription: pending, events });

    clockAt(end);
    await processDue();
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: to, pendingPlan: null, currentPeriodStart: end, currentPeriodEnd: to === 'free' ? null : addMonths(new Date(end), 1).toISOString() });
    expect((await planEvents(owner)).slice(events.length)).toEqual([expect.objectContaining({ plan: to, access: 'active', revision: pending.revision + 1, changedAt: end })]);
    expect(chargesOf(owner).slice(charges).map(({ plan, amountMinor, reason }) => ({ plan, amountMinor, reason }))).toEqual(charged);
  });
});

describe('SUB-010 cancelling Free ends access at once', () => {
  it('SUB-010 the status becomes ended and tenant.plan_changed with access ended is published now; cancelling again changes nothing', async () => {
    const owner = await client.newOwner();
    const now = keel.clock.now().toISOString();
    const cancelled = await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ plan: 'free', status: 'ended', revision: 2 });
    expect((await planEvents(owner)).at(-1)).toEqual({ tenantId: owner.organization.id, plan: 'free', limits: FREE, access: 'ended', revision: 2, changedAt: now });
    expect((await subscriptionAudit(owner)).at(-1)).toEqual({ action: 'subscription.cancelled', actor: owner.userId, details: { plan: 'free', accessEnded: now, revision: 2 } });
    await expectUnchanged(owner, async () => expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200));
  });
});

describe('SUB-011 an ended subscription can subscribe again', () => {
  it.each([
    { plan: 'pro', charged: [4_900] },
    { plan: 'free', charged: [] },
  ])('SUB-011 upgrading an ended subscription to $plan restores access at once and publishes it', async ({ plan, charged }) => {
    const owner = await client.newOwner();
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200);
    const upgraded = await changeSubscription(client, owner.cookie, owner.organization.id, 'upgrade', plan);
    expect(upgraded.status).toBe(200);
    expect(await upgraded.json()).toMatchObject({ plan, status: 'active', revision: 3 });
    expect((await planEvents(owner)).map(({ plan: published, access, revision }) => ({ published, access, revision }))).toEqual([
      { published: 'free', access: 'active', revision: 1 },
      { published: 'free', access: 'ended', revision: 2 },
      { published: plan, access: 'active', revision: 3 },
    ]);
    expect(chargesOf(owner).map((charge) => charge.amountMinor)).toEqual(charged);
  });
});

describe('SUB-012 cancelling a paid plan keeps it until the period end', () => {
  it('SUB-012 the plan stays with cancelAtPeriodEnd, nothing is published; cancelling again changes nothing', async () => {
    const owner = await ownerOn('pro');
    const before = await subscriptionOf(client, owner);
    const cancelled = await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toEqual({ ...before, cancelAtPeriodEnd: true, revision: before.revision + 1 });
    expect((await planEvents(owner)).map((event) => event.revision)).toEqual([1, 2]);
    expect((await subscriptionAudit(owner)).at(-1)).toEqual({ action: 'subscription.cancelled', actor: owner.userId, details: { plan: 'pro', accessUntil: before.currentPeriodEnd, revision: before.revision + 1 } });
    await expectUnchanged(owner, async () => expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200));
  });
});

describe('SUB-013 SUB-020 a cancelled paid plan at its period end', () => {
  it('SUB-013 SUB-020 one millisecond before the end nothing changes; at the end it falls back to Free, uncharged, published with changedAt the period end', async () => {
    const owner = await ownerOn('pro');
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200);
    const cancelled = await subscriptionOf(client, owner);
    const end = cancelled.currentPeriodEnd!;
    const charges = chargesOf(owner).length;
    clockAt(justBefore(end));
    await expectUnchanged(owner, () => processDue());

    clockAt(end);
    await processDue();
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'free', status: 'active', currentPeriodStart: end, currentPeriodEnd: null, cancelAtPeriodEnd: false, revision: cancelled.revision + 1 });
    expect((await planEvents(owner)).at(-1)).toEqual({ tenantId: owner.organization.id, plan: 'free', limits: FREE, access: 'active', revision: cancelled.revision + 1, changedAt: end });
    expect(chargesOf(owner)).toHaveLength(charges);
    expect((await subscriptionAudit(owner)).at(-1)).toEqual({ action: 'subscription.fell_back_to_free', actor: null, details: { from: 'pro', reason: 'cancelled', revision: cancelled.revision + 1 } });
  });
});

describe('SUB-020 a change asked for after the period end', () => {
  it('SUB-020 upgrading once a cancelled period has ended, before it is processed, starts from Free: the fall back is published at the period end, then the upgrade', async () => {
    const owner = await ownerOn('pro');
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200);
    const end = (await subscriptionOf(client, owner)).currentPeriodEnd!;
    clockAt(new Date(Date.parse(end) + 86_400_000));
    const now = keel.clock.now().toISOString();
    const upgraded = await changeSubscription(client, owner.cookie, owner.organization.id, 'upgrade', 'pro');
    expect(upgraded.status).toBe(200);
    expect(await upgraded.json()).toMatchObject({ plan: 'pro', currentPeriodStart: now, cancelAtPeriodEnd: false, revision: 5 });
    expect((await planEvents(owner)).slice(-2).map(({ plan, revision, changedAt }) => ({ plan, revision, changedAt }))).toEqual([
      { plan: 'free', revision: 4, changedAt: end },
      { plan: 'pro', revision: 5, changedAt: now },
    ]);
    expect((await subscriptionAudit(owner)).slice(-2).map(({ action, actor }) => ({ action, actor }))).toEqual([
      { action: 'subscription.fell_back_to_free', actor: null },
      { action: 'subscription.upgraded', actor: owner.userId },
    ]);
  });
});

describe('SUB-014 over-limit data after falling back to Free is kept', () => {
  it("SUB-014 SUB-024 members and API keys beyond Free's limits stay and work; only new ones are refused with 402 PLAN_LIMIT_REACHED", async () => {
    const owner = await ownerOn('pro');
    for (let added = 0; added < 3; added += 1) await addMember(client, owner, 'member');
    const keys = [await createApiKey(client, owner.cookie, owner.organization.id, { name: 'One' }), await createApiKey(client, owner.cookie, owner.organization.id, { name: 'Two' })];
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200);
    clockAt((await subscriptionOf(client, owner)).currentPeriodEnd!);
    await processDue();
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'free', usage: expect.objectContaining({ members: 4, apiKeys: 2 }) });
    const listed = await client.central('GET', `/organizations/${owner.organization.id}/members`, { cookie: owner.cookie });
    expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(4);
    for (const key of keys) expect((await tokenForApiKey(client, key.key)).status).toBe(200);

    await expectError(acceptNewInvitation(owner), 402, 'PLAN_LIMIT_REACHED', ['limit.members']);
    await expectError(client.central('POST', `/organizations/${owner.organization.id}/api-keys`, { cookie: owner.cookie, body: { name: 'Three' } }), 402, 'PLAN_LIMIT_REACHED', ['limit.apiKeys']);
  });
});

describe('SUB-015 cancel, then resume before the period end', () => {
  it('SUB-015 the period end is as if never cancelled: the plan renews, charged, and nothing is published', async () => {
    const owner = await ownerOn('pro');
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200);
    const resumed = await changeSubscription(client, owner.cookie, owner.organization.id, 'resume');
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ plan: 'pro', cancelAtPeriodEnd: false, revision: 4 });
    const end = (await subscriptionOf(client, owner)).currentPeriodEnd!;
    clockAt(end);
    await processDue();
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'pro', currentPeriodStart: end, cancelAtPeriodEnd: false, revision: 5 });
    expect(chargesOf(owner).at(-1)).toMatchObject({ plan: 'pro', reason: 'renewal', period: { start: end } });
    expect((await planEvents(owner)).map((event) => event.revision)).toEqual([1, 2]);
  });
});

describe('SUB-016 resuming what cannot be resumed', () => {
  it.each([
    { name: 'a paid plan never cancelled', plan: 'pro', before: async () => {} },
    { name: 'a Free subscription', plan: 'free', before: async () => {} },
    { name: 'an ended Free subscription', plan: 'free', before: (owner: Owner) => cancel(owner) },
    { name: 'a cancelled plan whose period end has passed, not processed yet', plan: 'pro', before: async (owner: Owner) => (await cancel(owner), clockAt(await periodEndOf(owner))) },
    { name: 'a cancelled plan fallen back to Free', plan: 'pro', before: async (owner: Owner) => (await cancel(owner), clockAt(await periodEndOf(owner)), await processDue()) },
  ])('SUB-016 resuming $name answers 409 SUBSCRIPTION_NOT_RESUMABLE and changes nothing', async ({ plan, before }) => {
    const owner = await ownerOn(plan);
    await before(owner);
    await expectUnchanged(owner, () => expectError(changeSubscription(client, owner.cookie, owner.organization.id, 'resume'), 409, 'SUBSCRIPTION_NOT_RESUMABLE'));
  });
});

describe('SUB-017 upgrading after cancelling', () => {
  it('SUB-017 the cancellation is withdrawn and the upgrade applies at once: at the old period end nothing falls back', async () => {
    const owner = await ownerOn('pro');
    await cancel(owner);
    const oldEnd = await periodEndOf(owner);
    keel.clock.advance(86_400_000);
    const now = keel.clock.now().toISOString();
    const upgraded = await changeSubscription(client, owner.cookie, owner.organization.id, 'upgrade', 'platinum');
    expect(upgraded.status).toBe(200);
    expect(await upgraded.json()).toMatchObject({ plan: 'platinum', cancelAtPeriodEnd: false, currentPeriodStart: now, currentPeriodEnd: addMonths(new Date(now), 1).toISOString() });
    expect((await subscriptionAudit(owner)).at(-1)).toMatchObject({ action: 'subscription.upgraded', details: { from: 'pro', to: 'platinum', cancellationWithdrawn: true } });
    clockAt(oldEnd);
    await expectUnchanged(owner, () => processDue());
  });
});

describe('SUB-018 cancelling while a downgrade is pending', () => {
  it('SUB-018 the downgrade is dropped and the period end falls back to Free', async () => {
    const owner = await ownerOn('platinum');
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'downgrade', 'pro')).status).toBe(200);
    const cancelled = await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel');
    expect(await cancelled.json()).toMatchObject({ plan: 'platinum', pendingPlan: null, cancelAtPeriodEnd: true });
    const charges = chargesOf(owner).length;
    clockAt(await periodEndOf(owner));
    await processDue();
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'free', pendingPlan: null });
    expect(chargesOf(owner)).toHaveLength(charges);
  });

  it('SUB-018 resuming after that renews the current plan at the period end', async () => {
    const owner = await ownerOn('platinum');
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'downgrade', 'pro')).status).toBe(200);
    await cancel(owner);
    expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'resume')).status).toBe(200);
    clockAt(await periodEndOf(owner));
    await processDue();
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'platinum', pendingPlan: null, cancelAtPeriodEnd: false });
    expect(chargesOf(owner).at(-1)).toMatchObject({ plan: 'platinum', amountMinor: 19_900, reason: 'renewal' });
  });
});

describe('SUB-021 processing period ends', () => {
  it('SUB-021 two central instances processing at once apply each period end once: one charge, one revision, one audit entry', async () => {
    const owners = [await ownerOn('pro'), await ownerOn('pro'), await ownerOn('pro')];
    const before = await Promise.all(owners.map((owner) => subscriptionOf(client, owner)));
    clockAt(before.map((subscription) => subscription.currentPeriodEnd!).toSorted().at(-1)!);
    const [first, second] = [recordingProvider(), recordingProvider()];
    await Promise.all([processDue(first.provider), processDue(second.provider)]);
    for (const [index, owner] of owners.entries()) {
      expect((await subscriptionOf(client, owner)).revision).toBe(before[index]!.revision + 1);
      expect((await subscriptionAudit(owner)).filter((entry) => entry.action === 'subscription.renewed')).toHaveLength(1);
      expect([...first.charges, ...second.charges].filter((charge) => charge.organizationId === owner.organization.id)).toHaveLength(1);
    }
  });

  it('SUB-021 several missed periods are applied one after the other, each charged once with its own key', async () => {
    const owner = await ownerOn('pro');
    const { currentPeriodStart, revision } = await subscriptionOf(client, owner);
    const anchor = new Date(currentPeriodStart);
    const ends = [1, 2, 3].map((months) => addMonths(anchor, months).toISOString());
    clockAt(ends[2]!);
    await processDue();
    expect(await subscriptionOf(client, owner)).toMatchObject({ currentPeriodStart: ends[2], currentPeriodEnd: addMonths(anchor, 4).toISOString(), revision: revision + 3 });
    expect(chargesOf(owner).filter((charge) => charge.reason === 'renewal').map((charge) => charge.idempotencyKey)).toEqual(ends.map((end) => `period:${owner.organization.id}:${end}`));
  });

  it('SUB-021 a subscription whose processing fails is reported and retried at the next pass, without holding back the others', async () => {
    const [failing, other] = [await ownerOn('pro'), await ownerOn('pro')];
    const before = await Promise.all([failing, other].map((owner) => subscriptionOf(client, owner)));
    const unreachable = recordingProvider((request) => (request.organizationId === failing.organization.id ? new Error('payment provider unreachable') : undefined));
    const reports = reported.length;
    clockAt(before[0]!.currentPeriodEnd!);
    await processDue(unreachable.provider);
    expect((await subscriptionOf(client, failing)).revision).toBe(before[0]!.revision);
    expect((await subscriptionOf(client, other)).revision).toBe(before[1]!.revision + 1);
    expect(reported.length).toBeGreaterThan(reports);

    await processDue();
    expect((await subscriptionOf(client, failing)).revision).toBe(before[0]!.revision + 1);
  });

  it('SUB-021 the scheduler processes due period ends every interval while started', async () => {
    const owner = await ownerOn('pro');
    const before = await subscriptionOf(client, owner);
    const scheduler = createPeriodScheduler({ periods: periodsWith(recorded.provider), intervalMs: 20, logger, reporter });
    scheduler.start();
    try {
      clockAt(before.currentPeriodEnd!);
      await waitUntil(async () => (await subscriptionOf(client, owner)).revision > before.revision);
    } finally {
      await scheduler.stop();
    }
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'pro', currentPeriodStart: before.currentPeriodEnd, revision: before.revision + 1 });
  });
});

describe('SUB-022 declined charges', () => {
  it('SUB-022 a declined upgrade is refused with 402 PAYMENT_DECLINED and changes nothing', async () => {
    const owner = await client.newOwner();
    const declining = recordingProvider(() => new PaymentDeclinedError());
    await expectUnchanged(owner, async () => {
      const refused = changeSubscriptionInCentral({ database, clock: keel.clock, payments: declining.provider }, { organizationId: owner.organization.id, userId: owner.userId, change: (ctx, row) => upgrade(ctx, row, 'pro') });
      await expect(refused).rejects.toMatchObject({ code: 'PAYMENT_DECLINED', status: 402 });
    });
  });

  it('SUB-022 a renewal declined at the period end falls back to Free, published, with reason payment_declined', async () => {
    const owner = await ownerOn('pro');
    const { currentPeriodEnd, revision } = await subscriptionOf(client, owner);
    clockAt(currentPeriodEnd!);
    await processDue(recordingProvider((request) => (request.organizationId === owner.organization.id ? new PaymentDeclinedError() : undefined)).provider);
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'free', status: 'active', currentPeriodEnd: null, revision: revision + 1 });
    expect((await planEvents(owner)).at(-1)).toMatchObject({ plan: 'free', access: 'active', changedAt: currentPeriodEnd });
    expect((await subscriptionAudit(owner)).at(-1)).toEqual({ action: 'subscription.fell_back_to_free', actor: null, details: { from: 'pro', reason: 'payment_declined', declinedPlan: 'pro', revision: revision + 1 } });
  });
});

/** The development provider, recording what it charged; `refuse` may make a charge fail instead. */
function recordingProvider(refuse?: (request: ChargeRequest) => Error | undefined): { provider: PaymentProvider; charges: ChargeRequest[] } {
  const development = createDevelopmentPaymentProvider(logger);
  const charges: ChargeRequest[] = [];
  const provider: PaymentProvider = {
    name: 'recording',
    async charge(request) {
      const refusal = refuse?.(request);
      if (refusal) throw refusal;
      charges.push(request);
      return development.charge(request);
    },
  };
  return { provider, charges };
}

function periodsWith(payments: PaymentProvider) {
  return createSubscriptionPeriods({ database, clock: keel.clock, payments, logger, reporter });
}

/** One pass of central's period processing, as a central instance's scheduler runs it. */
function processDue(payments: PaymentProvider = recorded.provider): Promise<number> {
  return periodsWith(payments).processDue();
}

/** Moves central's clock forward to `instant` (never back: other tests' periods stay in order). */
function clockAt(instant: Date | string): void {
  const target = new Date(instant);
  expect(target.getTime()).toBeGreaterThanOrEqual(keel.clock.now().getTime());
  keel.clock.set(target);
}

function justBefore(instant: string): Date {
  return new Date(Date.parse(instant) - 1);
}

async function ownerOn(plan: string): Promise<Owner> {
  const owner = await client.newOwner();
  if (plan !== 'free') await upgradePlan(client, owner, plan as 'pro' | 'platinum');
  return owner;
}

async function cancel(owner: Owner): Promise<void> {
  expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'cancel')).status).toBe(200);
}

async function periodEndOf(owner: Owner): Promise<string> {
  return (await subscriptionOf(client, owner)).currentPeriodEnd!;
}

function planEvents(owner: Owner) {
  return planEventsOf(keel, owner.organization.id);
}

function subscriptionAudit(owner: Owner) {
  return subscriptionAuditOf(keel, owner.organization.id);
}

/**
 * Everything the organization was charged, oldest first: at requests by central's own development
 * provider (its log lines), at period ends by the recording one — `{plan, amountMinor, currency, reason, period, idempotencyKey}`.
 */
function chargesOf(owner: Owner): { plan: string; amountMinor: number; reason: string; idempotencyKey: string; [field: string]: unknown }[] {
  const logged = keel.logs.flatMap((line) => {
    const payment = line.payment as (ChargeRequest & { id: string }) | undefined;
    return payment?.organizationId === owner.organization.id ? [{ ...payment, period: { start: String(payment.period.start), end: String(payment.period.end) } }] : [];
  });
  const processed = recorded.charges.filter((charge) => charge.organizationId === owner.organization.id).map((charge) => ({ ...charge, period: { start: charge.period.start.toISOString(), end: charge.period.end.toISOString() } }));
  return [...logged, ...processed]
    .toSorted((a, b) => a.period.start.localeCompare(b.period.start))
    .map(({ plan, amountMinor, currency, reason, period, idempotencyKey }) => ({ plan, amountMinor, currency, reason, period, idempotencyKey }));
}

/** Runs `action`, then checks the subscription and its events are as before. */
async function expectUnchanged(owner: Owner, action: () => Promise<unknown>): Promise<void> {
  const before: { subscription: SubscriptionView; events: unknown[] } = { subscription: await subscriptionOf(client, owner), events: await planEvents(owner) };
  await action();
  expect({ subscription: await subscriptionOf(client, owner), events: await planEvents(owner) }).toEqual(before);
}

/** A new user invited to the owner's organization accepts: the answer. */
async function acceptNewInvitation(owner: Owner): Promise<Response> {
  const email = newEmail();
  expect((await client.central('POST', `/organizations/${owner.organization.id}/invitations`, { cookie: owner.cookie, body: { email, role: 'member' } })).status).toBe(201);
  const invitee = await client.signUp(email);
  return client.central('POST', '/invitations/accept', { cookie: invitee.cookie, body: { token: invitationToken(client, email) } });
}
