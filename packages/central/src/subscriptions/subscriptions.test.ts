import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  centralClient,
  centralSql,
  changeSubscription,
  createApiKey,
  expectError,
  planEventsOf,
  subscriptionAuditOf,
  subscriptionOf as subscriptionOfOwner,
  upgradePlan,
  type CentralClient,
  type Owner,
  type SubscriptionView,
} from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { addMonths } from './periods.ts';

/**
 * Plans and an organization's subscription over real HTTP at central: the plans table, Free for
 * every new organization, owners reading and changing the plan; feed events, audit entries and
 * the development provider's charges (its log lines) read where they land.
 */

const REGION_CREDENTIAL = `test-region-credential-${randomUUID()}`;

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  // An empty CENTRAL_JWKS_URL counts as unset: the region trusts central's own keys. The region's
  // credential is known, to report usage; the many sign-ups from one address stay under its limit.
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '', KEEL_REGION_CREDENTIAL: REGION_CREDENTIAL, AUTH_RATE_LIMIT_PER_IP: '10000' });
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

const FREE = { stores: 1, members: 3, ordersPerMonth: 100, importRowsPerMonth: 1_000, webhookEndpoints: 1, apiKeys: 1 };
const PRO = { stores: 10, members: 25, ordersPerMonth: 10_000, importRowsPerMonth: 100_000, webhookEndpoints: 10, apiKeys: 10 };
const PLATINUM = { stores: null, members: null, ordersPerMonth: null, importRowsPerMonth: null, webhookEndpoints: null, apiKeys: null };

describe('SUB-001 plans as data', () => {
  it('SUB-001 GET /api/central/plans answers the plans table without a session, cheapest first, unlimited as null', async () => {
    const response = await client.central('GET', '/plans');
    expect(response.status).toBe(200);
    const plans = { items: [plan('free', 'Free', 0, FREE), plan('pro', 'Pro', 4_900, PRO), plan('platinum', 'Platinum', 19_900, PLATINUM)] };
    expect(await response.json()).toEqual(plans);
    const rows = await centralSql(keel, 'select id, name, price_minor, currency, max_stores, max_members, max_orders_per_month, max_import_rows_per_month, max_webhook_endpoints, max_api_keys from plans order by rank');
    expect(rows.map(planOfRow)).toEqual(plans.items);
  });
});

describe('SUB-002 every organization starts on Free', () => {
  it('SUB-002 a new organization is on Free (revision 1, no period end), announced by tenant.plan_changed right after tenant.created', async () => {
    const owner = await client.newOwner();
    expect(await subscriptionOf(owner)).toEqual({
      organizationId: owner.organization.id,
      plan: 'free',
      limits: FREE,
      status: 'active',
      currentPeriodStart: expect.any(String),
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      pendingPlan: null,
      revision: 1,
      usage: { stores: null, members: 1, ordersPerMonth: null, importRowsPerMonth: null, webhookEndpoints: null, apiKeys: 0, measuredAt: null },
    });
    const feed = await centralSql<{ type: string; region: string; payload: unknown }>(keel, 'select type, region, payload from feed_events where tenant_id = $1 order by position', [owner.organization.id]);
    expect(feed.map((event) => event.type)).toEqual(['tenant.created', 'tenant.plan_changed']);
    expect(feed[1]).toEqual({
      type: 'tenant.plan_changed',
      region: owner.organization.region,
      payload: { tenantId: owner.organization.id, plan: 'free', limits: FREE, access: 'active', revision: 1, changedAt: expect.stringMatching(ISO) },
    });
  });
});

describe('SUB-003 TEN-031 billing is for owners only', () => {
  it.each([
    { name: 'reading the subscription', method: 'GET', path: '', body: undefined },
    { name: 'upgrading', method: 'POST', path: '/upgrade', body: { plan: 'pro' } },
    { name: 'downgrading', method: 'POST', path: '/downgrade', body: { plan: 'free' } },
    { name: 'cancelling', method: 'POST', path: '/cancel', body: undefined },
    { name: 'resuming', method: 'POST', path: '/resume', body: undefined },
  ])('SUB-003 TEN-031 $name answers 403 FORBIDDEN_ROLE to an admin and a member, 404 ORG_NOT_FOUND to a non-member, 401 without a session, and changes nothing', async ({ method, path, body }) => {
    const owner = await client.newOwner();
    await upgradePlan(client, owner, 'pro');
    const admin = await addMember(client, owner, 'admin');
    const member = await addMember(client, owner, 'member');
    const stranger = await client.newOwner();
    const before = await subscriptionOf(owner);
    const url = (organizationId: string) => `/organizations/${organizationId}/subscription${path}`;
    for (const user of [admin, member]) await expectError(client.central(method, url(owner.organization.id), { cookie: user.cookie, body }), 403, 'FORBIDDEN_ROLE');
    for (const organizationId of [owner.organization.id, randomUUID()]) {
      await expectError(client.central(method, url(organizationId), { cookie: stranger.cookie, body }), 404, 'ORG_NOT_FOUND');
      await expectError(client.central(method, url(organizationId), { body }), 401, 'AUTH_SESSION_MISSING');
    }
    expect(await subscriptionOf(owner)).toEqual(before);
  });
});

describe('SUB-005 upgrading', () => {
  it('SUB-005 an upgrade applies at once: charged, a monthly period from now, tenant.plan_changed with the new limits, subscription.upgraded audited', async () => {
    const owner = await client.newOwner();
    keel.clock.advance(1_234);
    const now = keel.clock.now();
    const upgraded = await changeSubscription(client, owner.cookie, owner.organization.id, 'upgrade', 'pro');
    expect(upgraded.status).toBe(200);
    const periodEnd = addMonths(now, 1).toISOString();
    expect(await upgraded.json()).toMatchObject({ plan: 'pro', limits: PRO, status: 'active', currentPeriodStart: now.toISOString(), currentPeriodEnd: periodEnd, cancelAtPeriodEnd: false, pendingPlan: null, revision: 2 });
    const [charge] = chargesOf(owner);
    expect(charge).toEqual({
      id: expect.stringMatching(/^dev_/),
      organizationId: owner.organization.id,
      plan: 'pro',
      amountMinor: 4_900,
      currency: 'USD',
      reason: 'upgrade',
      period: { start: now.toISOString(), end: periodEnd },
      idempotencyKey: expect.any(String),
    });
    expect(await planEvents(owner)).toEqual([
      expect.objectContaining({ revision: 1, plan: 'free' }),
      { tenantId: owner.organization.id, plan: 'pro', limits: PRO, access: 'active', revision: 2, changedAt: now.toISOString() },
    ]);
    expect(await subscriptionAudit(owner)).toEqual([
      { action: 'subscription.upgraded', actor: owner.userId, details: { from: 'free', to: 'pro', chargeId: charge!.id, amountMinor: 4_900, currency: 'USD', periodEnd, revision: 2 } },
    ]);

    await upgradePlan(client, owner, 'platinum');
    expect(await subscriptionOf(owner)).toMatchObject({ plan: 'platinum', limits: PLATINUM, revision: 3 });
    expect(chargesOf(owner).map((made) => [made.plan, made.amountMinor])).toEqual([['pro', 4_900], ['platinum', 19_900]]);
  });

  it.each([
    { current: 'free', plan: 'free' },
    { current: 'pro', plan: 'pro' },
    { current: 'pro', plan: 'free' },
    { current: 'platinum', plan: 'pro' },
  ])('SUB-005 upgrading from $current to $plan answers 409 PLAN_CHANGE_INVALID and changes nothing', async ({ current, plan }) => {
    const owner = await ownerOn(current);
    await expectUnchanged(owner, () => expectError(changeSubscription(client, owner.cookie, owner.organization.id, 'upgrade', plan), 409, 'PLAN_CHANGE_INVALID'));
  });

  it.each([
    { name: 'an unknown plan', body: { plan: 'gold' } },
    { name: 'an empty plan', body: { plan: '' } },
    { name: 'no plan', body: {} },
  ])('SUB-005 upgrading to $name answers 400 VALIDATION_FAILED on body.plan and changes nothing', async ({ body }) => {
    const owner = await client.newOwner();
    await expectUnchanged(owner, () => expectError(client.central('POST', `/organizations/${owner.organization.id}/subscription/upgrade`, { cookie: owner.cookie, body }), 400, 'VALIDATION_FAILED', ['body.plan']));
  });
});

describe('SUB-007 downgrading waits for the period end', () => {
  it('SUB-007 a downgrade is pending until the period end: the plan, its limits and what the region enforces stay', async () => {
    const owner = await ownerOn('platinum');
    const before = await subscriptionOf(owner);
    const downgraded = await changeSubscription(client, owner.cookie, owner.organization.id, 'downgrade', 'pro');
    expect(downgraded.status).toBe(200);
    expect(await downgraded.json()).toEqual({ ...before, pendingPlan: 'pro', revision: before.revision + 1 });
    expect((await planEvents(owner)).map((event) => event.revision)).toEqual([1, 2]);
    expect((await subscriptionAudit(owner)).at(-1)).toEqual({
      action: 'subscription.downgrade_scheduled',
      actor: owner.userId,
      details: { from: 'platinum', to: 'pro', effectiveAt: before.currentPeriodEnd, revision: before.revision + 1 },
    });
  });

  it.each([
    { current: 'free', plan: 'free' },
    { current: 'free', plan: 'pro' },
    { current: 'pro', plan: 'pro' },
    { current: 'pro', plan: 'platinum' },
  ])('SUB-007 downgrading from $current to $plan answers 409 PLAN_CHANGE_INVALID and changes nothing', async ({ current, plan }) => {
    const owner = await ownerOn(current);
    await expectUnchanged(owner, () => expectError(changeSubscription(client, owner.cookie, owner.organization.id, 'downgrade', plan), 409, 'PLAN_CHANGE_INVALID'));
  });
});

describe('SUB-008 a downgrade the organization has outgrown', () => {
  it('SUB-008 more members, API keys, stores and webhook endpoints than Free allows: 409 PLAN_DOWNGRADE_BLOCKED naming each, and nothing changes', async () => {
    const owner = await ownerOn('pro');
    for (let added = 0; added < 3; added += 1) await addMember(client, owner, 'member');
    for (const name of ['First', 'Second']) await createApiKey(client, owner.cookie, owner.organization.id, { name });
    await report(owner, { stores: 2, webhookEndpoints: 3, ordersThisMonth: 5_000, importRowsThisMonth: 50_000 });
    await expectUnchanged(owner, () =>
      expectError(changeSubscription(client, owner.cookie, owner.organization.id, 'downgrade', 'free'), 409, 'PLAN_DOWNGRADE_BLOCKED', ['usage.stores', 'usage.members', 'usage.webhookEndpoints', 'usage.apiKeys']),
    );
  });

  it.each([
    { name: "usage at Free's limits, and this month's orders and import rows far beyond them", figures: { stores: 1, webhookEndpoints: 1, ordersThisMonth: 9_000, importRowsThisMonth: 90_000 }, members: 2 },
    { name: 'no usage report from the region yet', figures: undefined, members: 0 },
  ])('SUB-008 $name: the downgrade is scheduled', async ({ figures, members }) => {
    const owner = await ownerOn('pro');
    for (let added = 0; added < members; added += 1) await addMember(client, owner, 'member');
    await createApiKey(client, owner.cookie, owner.organization.id);
    if (figures) await report(owner, figures);
    const downgraded = await changeSubscription(client, owner.cookie, owner.organization.id, 'downgrade', 'free');
    expect(downgraded.status).toBe(200);
    expect(await downgraded.json()).toMatchObject({ plan: 'pro', pendingPlan: 'free' });
  });
});

describe('SUB-009 revisions, audit entries and events', () => {
  it('SUB-009 each change raises the revision by one with its audit entry; tenant.plan_changed only when the plan or the access changes', async () => {
    const owner = await client.newOwner();
    const steps: [Parameters<typeof changeSubscription>[3], string | undefined][] = [
      ['upgrade', 'pro'],
      ['downgrade', 'free'],
      ['cancel', undefined],
      ['resume', undefined],
      ['upgrade', 'platinum'],
    ];
    for (const [change, plan] of steps) expect((await changeSubscription(client, owner.cookie, owner.organization.id, change, plan)).status).toBe(200);
    expect((await subscriptionAudit(owner)).map((entry) => [entry.action, entry.details.revision])).toEqual([
      ['subscription.upgraded', 2],
      ['subscription.downgrade_scheduled', 3],
      ['subscription.cancelled', 4],
      ['subscription.resumed', 5],
      ['subscription.upgraded', 6],
    ]);
    expect((await planEvents(owner)).map((event) => [event.plan, event.revision])).toEqual([
      ['free', 1],
      ['pro', 2],
      ['platinum', 6],
    ]);
    expect(await subscriptionOf(owner)).toMatchObject({ plan: 'platinum', revision: 6, cancelAtPeriodEnd: false, pendingPlan: null });
  });
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function plan(id: string, name: string, priceMinor: number, limits: Record<string, number | null>) {
  return { id, name, priceMinor, currency: 'USD', limits };
}

function planOfRow(row: Record<string, unknown>) {
  return plan(row.id as string, row.name as string, row.price_minor as number, {
    stores: row.max_stores as number | null,
    members: row.max_members as number | null,
    ordersPerMonth: row.max_orders_per_month as number | null,
    importRowsPerMonth: row.max_import_rows_per_month as number | null,
    webhookEndpoints: row.max_webhook_endpoints as number | null,
    apiKeys: row.max_api_keys as number | null,
  });
}

/** A new owner whose organization is on `plan`. */
async function ownerOn(plan: string): Promise<Owner> {
  const owner = await client.newOwner();
  if (plan !== 'free') await upgradePlan(client, owner, plan as 'pro' | 'platinum');
  return owner;
}

function subscriptionOf(owner: Owner): Promise<SubscriptionView> {
  return subscriptionOfOwner(client, owner);
}

/** Runs a refused request, then checks the subscription and its events are as before. */
async function expectUnchanged(owner: Owner, refused: () => Promise<void>): Promise<void> {
  const before = { subscription: await subscriptionOf(owner), events: await planEvents(owner) };
  await refused();
  expect({ subscription: await subscriptionOf(owner), events: await planEvents(owner) }).toEqual(before);
}

function planEvents(owner: Owner) {
  return planEventsOf(keel, owner.organization.id);
}

function subscriptionAudit(owner: Owner) {
  return subscriptionAuditOf(keel, owner.organization.id);
}

/** What the development payment provider charged the organization (its log lines), oldest first. */
function chargesOf(owner: Owner): { organizationId: string; plan: string; amountMinor: number; [field: string]: unknown }[] {
  return keel.logs.flatMap((line) => {
    const payment = line.payment as { organizationId: string; plan: string; amountMinor: number } | undefined;
    return payment?.organizationId === owner.organization.id ? [payment] : [];
  });
}

/**
 * The home region's usage report for the tenant, measured an hour ahead of the clock: reports the
 * region itself sends meanwhile (measured now) are older, so they never replace it.
 */
async function report(owner: Owner, figures: { stores: number; webhookEndpoints: number; ordersThisMonth: number; importRowsThisMonth: number }): Promise<void> {
  const measuredAt = new Date(keel.clock.now().getTime() + 3_600_000).toISOString();
  const response = await fetch(`${keel.url}/api/central/usage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${REGION_CREDENTIAL}`, 'content-type': 'application/json' },
    body: JSON.stringify({ region: owner.organization.region, tenants: [{ tenantId: owner.organization.id, measuredAt, ...figures }] }),
  });
  expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { accepted: 1, ignored: 0 } });
}
