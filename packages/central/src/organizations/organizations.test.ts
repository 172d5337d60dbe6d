import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, centralSql, expectError, organizationBody as organization, type CentralClient, type Organization, type Owner } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/**
 * Organizations (tenants) and access tokens, end to end over real HTTP: central's real tokens,
 * verified by the region against central's own JWKS (one-process mode), and the region
 * provisioning the tenant from central's feed.
 */

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  // An empty CENTRAL_JWKS_URL counts as unset: the region trusts central's own keys, not the test issuer.
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '' });
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-025 creating an organization', () => {
  it('TEN-025 TEN-029 a user signs up, creates an organization, gets a token for it, and the provisioned tenant takes stores', async () => {
    const alice = await signUp();
    const created = await central('POST', '/organizations', { cookie: alice.cookie, body: organization({ name: 'Acme', currency: 'EUR', timezone: 'Europe/Paris' }) });
    expect(created.status).toBe(201);
    const acme = (await created.json()) as Organization;
    expect(acme).toEqual({ id: expect.stringMatching(UUID), name: 'Acme', slug: expect.any(String), region: await onlyRegion(), currency: 'EUR', timezone: 'Europe/Paris', role: 'owner', createdAt: expect.any(String) });
    expect(await myOrganizations(alice.cookie)).toEqual([acme]);
    expect(await centralSql(keel, 'select action, actor_user_id from audit_events where organization_id = $1', [acme.id])).toEqual([{ action: 'organization.created', actor_user_id: alice.userId }]);

    const granted = await tokenFor(alice.cookie, acme.id);
    expect(granted.status).toBe(200);
    const { token, expiresAt, region } = (await granted.json()) as { token: string; expiresAt: string; region: string };
    const claims = decodeJwt(token);
    expect({ region, claims }).toEqual({ region: acme.region, claims: expect.objectContaining({ sub: alice.userId, tenant_id: acme.id, role: 'owner', region: acme.region }) });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(new Date(expiresAt).getTime()).toBe(claims.exp! * 1000);

    await createStoreOnceProvisioned(token, 'Flagship');
    expect(await storeNames(token)).toEqual(['Flagship']);
  });
});

describe('TEN-029 tokens only for members', () => {
  it('TEN-029 a user gets 404 ORG_NOT_FOUND for another user\'s organization, the same answer as for one that does not exist', async () => {
    const alice = await newOwner();
    const bob = await newOwner();
    const answers = await Promise.all([tokenFor(bob.cookie, alice.organization.id), tokenFor(bob.cookie, randomUUID())]);
    for (const answer of answers) await expectError(answer, 404, 'ORG_NOT_FOUND');
    expect((await tokenFor(bob.cookie, bob.organization.id)).status).toBe(200);
  });
});

describe('TEN-030 a token reaches its own organization only', () => {
  it('TEN-030 the token of another organization neither lists nor finds the first organization\'s stores', async () => {
    const alice = await newOwner();
    const bob = await newOwner();
    const aliceStore = await createStoreOnceProvisioned(await token(alice), 'Alice only');
    const bobToken = await token(bob);
    await createStoreOnceProvisioned(bobToken, 'Bob only');
    expect(await storeNames(bobToken)).toEqual(['Bob only']);
    await expectError(await api(bobToken, 'GET', `/stores/${aliceStore.id}`), 404, 'STORE_NOT_FOUND');
  });
});

describe('TEN-026 unique slugs', () => {
  it('TEN-026 a taken slug answers 409 ORG_SLUG_TAKEN and creates nothing', async () => {
    const alice = await newOwner();
    const bob = await signUp();
    await expectError(await central('POST', '/organizations', { cookie: bob.cookie, body: organization({ slug: alice.organization.slug }) }), 409, 'ORG_SLUG_TAKEN');
    expect(await myOrganizations(bob.cookie)).toEqual([]);
  });
});

describe('TEN-027 currency and time zone', () => {
  it.each([
    { given: 'Europe/Madrid', stored: 'Europe/Madrid' },
    { given: 'UTC', stored: 'UTC' },
    { given: 'Asia/Kolkata', stored: 'Asia/Calcutta' },
  ])('TEN-027 the time zone "$given" is stored by its canonical name "$stored"', async ({ given, stored }) => {
    const user = await signUp();
    const response = await central('POST', '/organizations', { cookie: user.cookie, body: organization({ timezone: given }) });
    expect(((await response.json()) as Organization).timezone).toBe(stored);
  });

  it.each([
    { field: 'currency', value: 'eur' },
    { field: 'currency', value: 'EURO' },
    { field: 'currency', value: 'QQQ' },
    { field: 'timezone', value: 'Mars/Olympus_Mons' },
    { field: 'timezone', value: '' },
    { field: 'timezone', value: '+05:30' },
    { field: 'timezone', value: 'Etc/GMT+99' },
  ])('TEN-027 $field "$value" answers 400 VALIDATION_FAILED on body.$field and creates nothing', async ({ field, value }) => {
    const user = await signUp();
    await expectError(await central('POST', '/organizations', { cookie: user.cookie, body: organization({ [field]: value }) }), 400, 'VALIDATION_FAILED', [`body.${field}`]);
    expect(await myOrganizations(user.cookie)).toEqual([]);
  });
});

describe('TEN-028 a session, from our own origin', () => {
  it.each([
    { name: 'creating an organization', method: 'POST', path: '/organizations', body: organization() },
    { name: 'listing organizations', method: 'GET', path: '/organizations', body: undefined },
    { name: 'getting a token', method: 'POST', path: '/tokens', body: { tenantId: randomUUID() } },
  ])('TEN-028 $name without a session, or with a signed-out one, answers 401 AUTH_SESSION_MISSING', async ({ method, path, body }) => {
    const user = await signUp();
    expect((await fetch(`${keel.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: user.cookie, origin: keel.url } })).status).toBe(200);
    for (const cookie of [undefined, user.cookie]) await expectError(await central(method, path, { cookie, body }), 401, 'AUTH_SESSION_MISSING');
  });

  it.each([
    ['another origin', 'https://evil.example'],
    ['no origin at all', undefined],
  ])('TEN-028 a cookie-carrying write from %s answers 403 AUTH_ORIGIN_REFUSED and creates nothing', async (_case, origin) => {
    const user = await newOwner();
    await expectError(await central('POST', '/organizations', { cookie: user.cookie, body: organization(), origin }), 403, 'AUTH_ORIGIN_REFUSED');
    await expectError(await central('POST', '/tokens', { cookie: user.cookie, body: { tenantId: user.organization.id }, origin }), 403, 'AUTH_ORIGIN_REFUSED');
    expect(await myOrganizations(user.cookie)).toEqual([user.organization]);
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const central: CentralClient['central'] = (...args) => client.central(...args);
const signUp = () => client.signUp();
const newOwner = () => client.newOwner();
const myOrganizations = (cookie: string) => client.myOrganizations(cookie);
const tokenFor = (cookie: string, tenantId: string) => client.tokenFor(cookie, tenantId);
const token = (owner: Owner) => client.token(owner, owner.organization.id);
const api: CentralClient['api'] = (...args) => client.api(...args);
const createStoreOnceProvisioned = (bearer: string, name: string) => client.createStoreOnceProvisioned(bearer, name);
const storeNames = (bearer: string) => client.storeNames(bearer);

async function onlyRegion(): Promise<string> {
  const { items } = (await (await fetch(`${keel.url}/api/central/regions`)).json()) as { items: { id: string }[] };
  expect(items).toHaveLength(1);
  return items[0]!.id;
}
