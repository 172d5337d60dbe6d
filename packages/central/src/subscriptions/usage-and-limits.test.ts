import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  centralClient,
  centralSql,
  createApiKey,
  expectError,
  invitationToken,
  newEmail,
  subscriptionOf,
  upgradePlan,
  type CentralClient,
  type Owner,
  type User,
} from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/**
 * What an organization uses: counted by central (members, API keys) and reported by its home
 * region (`POST /api/central/usage`, with the region's feed credential); and the limits central
 * itself enforces — members joining and API keys — under concurrency.
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

describe('SUB-004 usage against limits', () => {
  it("SUB-004 members and API keys not revoked are counted by central now; the region's figures are null until its first report, then its last one with measuredAt", async () => {
    const owner = await client.newOwner();
    expect(await usageOf(owner)).toEqual({ stores: null, members: 1, ordersPerMonth: null, importRowsPerMonth: null, webhookEndpoints: null, apiKeys: 0, measuredAt: null });
    await addMember(client, owner, 'admin');
    const revoked = await createApiKey(client, owner.cookie, owner.organization.id, { name: 'Old' });
    expect((await client.central('DELETE', `/organizations/${owner.organization.id}/api-keys/${revoked.id}`, { cookie: owner.cookie })).status).toBe(204);
    await createApiKey(client, owner.cookie, owner.organization.id, { name: 'Current' });
    const measuredAt = aheadOfClock(0);
    await expectAccepted(report(owner.organization.region, [figures(owner, measuredAt, 1)]), 1);
    expect(await usageOf(owner)).toEqual({ stores: 1, members: 2, ordersPerMonth: 3, importRowsPerMonth: 4, webhookEndpoints: 2, apiKeys: 1, measuredAt });
    expect(await subscriptionOf(client, owner)).toMatchObject({ plan: 'free', limits: { stores: 1, members: 3, ordersPerMonth: 100, importRowsPerMonth: 1_000, webhookEndpoints: 1, apiKeys: 1 } });
  });
});

describe('SUB-023 usage reports from the regions', () => {
  it.each([
    { name: 'no credential', region: 'local', authorization: undefined },
    { name: 'a wrong credential', region: 'local', authorization: 'Bearer not-the-credential' },
    { name: "the region's credential for another region", region: 'elsewhere', authorization: `Bearer ${REGION_CREDENTIAL}` },
  ])('SUB-023 a report with $name answers 401 REGION_CREDENTIAL_INVALID and stores nothing', async ({ region, authorization }) => {
    const owner = await client.newOwner();
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    await expectError(post({ region: region === 'local' ? owner.organization.region : region, tenants: [figures(owner, aheadOfClock(0), 5)] }, headers), 401, 'REGION_CREDENTIAL_INVALID');
    expect((await usageOf(owner)).measuredAt).toBeNull();
  });

  it('SUB-023 a region reporting tenants that are not at home there, or that do not exist, has them ignored', async () => {
    const owner = await client.newOwner();
    const credential = `other-region-credential-${randomUUID()}`;
    const region = `other-${randomUUID().slice(0, 8)}`;
    await centralSql(keel, 'insert into regions (id, credential_hash) values ($1, $2)', [region, createHash('sha256').update(credential).digest('hex')]);
    const answer = await post({ region, tenants: [figures(owner, aheadOfClock(0), 5), { ...figures(owner, aheadOfClock(0), 5), tenantId: randomUUID() }] }, { authorization: `Bearer ${credential}` });
    expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 200, body: { accepted: 0, ignored: 2 } });
    expect((await usageOf(owner)).measuredAt).toBeNull();
  });

  it('SUB-023 the figures with the latest measuredAt are kept: an older report never replaces them, a newer one does', async () => {
    const owner = await client.newOwner();
    const region = owner.organization.region;
    await expectAccepted(report(region, [figures(owner, aheadOfClock(2), 20), figures(owner, aheadOfClock(3), 30), figures(owner, aheadOfClock(1), 10)]), 1);
    expect(await usageOf(owner)).toMatchObject({ stores: 30, measuredAt: aheadOfClock(3) });
    await expectAccepted(report(region, [figures(owner, aheadOfClock(2), 40)]), 1);
    expect(await usageOf(owner)).toMatchObject({ stores: 30, measuredAt: aheadOfClock(3) });
    await expectAccepted(report(region, [figures(owner, aheadOfClock(4), 50)]), 1);
    expect(await usageOf(owner)).toMatchObject({ stores: 50, ordersPerMonth: 52, measuredAt: aheadOfClock(4) });
  });
});

describe('SUB-024 the limits central enforces', () => {
  it('SUB-024 accepting an invitation beyond the plan\'s members answers 402 PLAN_LIMIT_REACHED naming limit.members; the invitation stays open and works once the plan allows', async () => {
    const owner = await client.newOwner();
    await addMember(client, owner, 'member');
    await addMember(client, owner, 'admin');
    const { invitee, token } = await invitedUser(owner);
    await expectError(accept(invitee, token), 402, 'PLAN_LIMIT_REACHED', ['limit.members']);
    expect(await pendingInvitations(owner)).toEqual([invitee.email]);
    expect((await subscriptionOf(client, owner)).usage).toMatchObject({ members: 3 });

    await upgradePlan(client, owner, 'pro');
    expect((await accept(invitee, token)).status).toBe(200);
    expect((await subscriptionOf(client, owner)).usage).toMatchObject({ members: 4 });
  });

  it("SUB-024 creating an API key beyond the plan's answers 402 PLAN_LIMIT_REACHED naming limit.apiKeys; a revoked key counts no more", async () => {
    const owner = await client.newOwner();
    const first = await createApiKey(client, owner.cookie, owner.organization.id);
    await expectError(createKey(owner), 402, 'PLAN_LIMIT_REACHED', ['limit.apiKeys']);
    expect((await client.central('DELETE', `/organizations/${owner.organization.id}/api-keys/${first.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await createKey(owner)).status).toBe(201);
  });

  it('SUB-024 concurrent accepts beyond the members limit: exactly as many join as the plan allows, the others get 402', async () => {
    const owner = await client.newOwner();
    await addMember(client, owner, 'member');
    const invited = [await invitedUser(owner), await invitedUser(owner), await invitedUser(owner)];
    const answers = await Promise.all(invited.map(({ invitee, token }) => accept(invitee, token)));
    expect(answers.map((answer) => answer.status).toSorted()).toEqual([200, 402, 402]);
    expect((await subscriptionOf(client, owner)).usage).toMatchObject({ members: 3 });
  });

  it('SUB-024 concurrent API key creations beyond the limit: exactly as many are created as the plan allows, the others get 402', async () => {
    const owner = await client.newOwner();
    const answers = await Promise.all(Array.from({ length: 4 }, () => createKey(owner)));
    expect(answers.map((answer) => answer.status).toSorted()).toEqual([201, 402, 402, 402]);
    expect((await subscriptionOf(client, owner)).usage).toMatchObject({ apiKeys: 1 });
  });
});

type Figures = { tenantId: string; measuredAt: string; stores: number; webhookEndpoints: number; ordersThisMonth: number; importRowsThisMonth: number };

/** Figures derived from `stores`, so a test tells reports apart. */
function figures(owner: Owner, measuredAt: string, stores: number): Figures {
  return { tenantId: owner.organization.id, measuredAt, stores, webhookEndpoints: stores + 1, ordersThisMonth: stores + 2, importRowsThisMonth: stores + 3 };
}

/**
 * An instant `hours` ahead of central's clock: the region itself reports its tenants' usage
 * measured by the clock, so these figures stay newer than any report it sends meanwhile.
 */
function aheadOfClock(hours: number): string {
  const now = keel.clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, hours)).toISOString();
}

function post(body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${keel.url}/api/central/usage`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function report(region: string, tenants: Figures[]): Promise<Response> {
  return post({ region, tenants }, { authorization: `Bearer ${REGION_CREDENTIAL}` });
}

async function expectAccepted(response: Promise<Response>, accepted: number): Promise<void> {
  const answer = await response;
  expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 200, body: { accepted, ignored: 0 } });
}

async function usageOf(owner: Owner): Promise<Record<string, unknown>> {
  return (await subscriptionOf(client, owner)).usage as Record<string, unknown>;
}

function createKey(owner: Owner): Promise<Response> {
  return client.central('POST', `/organizations/${owner.organization.id}/api-keys`, { cookie: owner.cookie, body: { name: 'Key' } });
}

/** A new account invited to the owner's organization as a member, not yet accepted. */
async function invitedUser(owner: Owner): Promise<{ invitee: User; token: string }> {
  const email = newEmail();
  expect((await client.central('POST', `/organizations/${owner.organization.id}/invitations`, { cookie: owner.cookie, body: { email, role: 'member' } })).status).toBe(201);
  return { invitee: await client.signUp(email), token: invitationToken(client, email) };
}

function accept(user: User, token: string): Promise<Response> {
  return client.central('POST', '/invitations/accept', { cookie: user.cookie, body: { token } });
}

async function pendingInvitations(owner: Owner): Promise<string[]> {
  const response = await client.central('GET', `/organizations/${owner.organization.id}/invitations`, { cookie: owner.cookie });
  return ((await response.json()) as { items: { email: string }[] }).items.map((invitation) => invitation.email);
}
