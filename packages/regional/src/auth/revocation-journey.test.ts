import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, centralClient, createApiKey, tokenForApiKey, upgradePlanInRegion, type CentralClient, type Owner } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';

/**
 * Central's real member and API-key endpoints revoke what they must in the region, before the
 * tokens expire: the manual clock never moves past a token's 5 minutes here (one step of a second
 * at most, so that a new token is of a later second than the revocation).
 */
let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '', FEED_LONG_POLL_MS: '2000' });
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-032 the region cuts tokens central has revoked', () => {
  it('TEN-032 TEN-051 a removed member\'s token answers 401 AUTH_TOKEN_REVOKED, and central gives them no new one', async () => {
    const owner = await provisionedOwner();
    const clerk = await addMember(client, owner, 'member');
    const token = await client.token(clerk, owner.organization.id);
    expect(await storesStatus(token)).toEqual({ status: 200 });

    expect((await client.central('DELETE', `/organizations/${owner.organization.id}/members/${clerk.userId}`, { cookie: owner.cookie })).status).toBe(204);
    await waitUntil(async () => (await storesStatus(token)).status === 401);
    expect(await storesStatus(token)).toEqual({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    expect((await client.tokenFor(clerk.cookie, owner.organization.id)).status).toBe(404);
  });

  it('TEN-032 TEN-051 a member who leaves loses their token the same way', async () => {
    const owner = await provisionedOwner();
    const admin = await addMember(client, owner, 'admin');
    const token = await client.token(admin, owner.organization.id);
    expect((await client.central('POST', `/organizations/${owner.organization.id}/leave`, { cookie: admin.cookie })).status).toBe(204);
    await waitUntil(async () => (await storesStatus(token)).status === 401);
    expect(await storesStatus(token)).toEqual({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
  });

  it('TEN-032 TEN-050 a demoted admin\'s token stops creating stores at once; the next token is a member\'s', async () => {
    const owner = await provisionedOwner();
    // A second store: more than Free allows (SUB-032).
    await upgradePlanInRegion(client, owner, 'pro');
    const admin = await addMember(client, owner, 'admin');
    const adminToken = await client.token(admin, owner.organization.id);
    expect((await client.api(adminToken, 'POST', '/stores', { name: 'Before the change' })).status).toBe(201);

    expect((await client.central('PATCH', `/organizations/${owner.organization.id}/members/${admin.userId}`, { cookie: owner.cookie, body: { role: 'member' } })).status).toBe(200);
    await waitUntil(async () => (await storesStatus(adminToken)).status === 401);
    expect(await storesStatus(adminToken)).toEqual({ status: 401, code: 'AUTH_TOKEN_REVOKED' });

    keel.clock.advance(1_000);
    const memberToken = await client.token(admin, owner.organization.id);
    expect(await storesStatus(memberToken)).toEqual({ status: 200 });
    expect(((await client.api(memberToken, 'POST', '/stores', { name: 'After the change' })).status)).toBe(403);
  });

  it('TEN-032 TEN-064 a revoked API key\'s token answers 401 AUTH_TOKEN_REVOKED', async () => {
    const owner = await provisionedOwner();
    const apiKey = await createApiKey(client, owner.cookie, owner.organization.id);
    const exchanged = await tokenForApiKey(client, apiKey.key);
    const { token } = (await exchanged.json()) as { token: string };
    expect(await storesStatus(token)).toEqual({ status: 200 });

    expect((await client.central('DELETE', `/organizations/${owner.organization.id}/api-keys/${apiKey.id}`, { cookie: owner.cookie })).status).toBe(204);
    await waitUntil(async () => (await storesStatus(token)).status === 401);
    expect(await storesStatus(token)).toEqual({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
  });
});

/** An owner whose organization the region has provisioned. */
async function provisionedOwner(): Promise<Owner> {
  const owner = await client.newOwner();
  await client.createStoreOnceProvisioned(await client.token(owner, owner.organization.id), 'Provisioned');
  return owner;
}

async function storesStatus(token: string): Promise<{ status: number; code?: string }> {
  const response = await client.api(token, 'GET', '/stores');
  return response.status === 200 ? { status: 200 } : { status: response.status, code: ((await response.json()) as { code: string }).code };
}
