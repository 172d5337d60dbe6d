import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  centralClient,
  centralSql,
  createApiKey,
  expectError,
  tokenForApiKey,
  upgradePlan,
  type CentralClient,
  type CreatedApiKey,
  type Owner,
  type User,
} from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/**
 * API keys over real HTTP: admins create, list and revoke them at central; an API client exchanges
 * one for central's real token, which the region verifies against central's own JWKS.
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

describe('TEN-060 creating and listing API keys', () => {
  it('TEN-060 an owner creates a key shown once: the answer holds it, the list and the database never do', async () => {
    const owner = await client.newOwner();
    const created = await createKey(owner, { name: '  CI deploys ', role: 'admin' });
    expect(created).toEqual({ id: expect.stringMatching(UUID), name: 'CI deploys', role: 'admin', prefix: created.key.slice(0, 12), key: expect.stringMatching(/^keel_[\w-]{43}$/), createdAt: keel.clock.now().toISOString() });

    const listed = await client.central('GET', keysPath(owner), { cookie: owner.cookie });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(JSON.parse(text)).toEqual({
      items: [{ id: created.id, name: 'CI deploys', role: 'admin', prefix: created.prefix, createdAt: created.createdAt, createdBy: owner.userId, lastUsedAt: null, revokedAt: null }],
    });
    expect(text).not.toContain(created.key.slice(12));

    const rows = await centralSql<{ key_hash: string; row: string }>(keel, 'select key_hash, row_to_json(api_keys)::text as row from api_keys where id = $1', [created.id]);
    expect(rows[0]!.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(rows[0]!.row).not.toContain(created.key.slice(12));
  });

  it('TEN-060 an admin creates a key whose role is member by default, and the creation is in the audit log', async () => {
    const owner = await client.newOwner();
    const admin = await addMember(client, owner, 'admin');
    const created = await createKey(owner, { name: 'Reports' }, admin);
    expect(created.role).toBe('member');
    expect(await auditOf(owner, 'api_key.created')).toEqual([
      { actor_user_id: admin.userId, details: { apiKeyId: created.id, name: 'Reports', role: 'member', prefix: created.prefix }, request_id: expect.any(String) },
    ]);
  });

  it.each([
    { field: 'role', body: { name: 'Root', role: 'owner' } },
    { field: 'name', body: { name: ' ', role: 'member' } },
    { field: 'name', body: { name: 'x'.repeat(101) } },
  ])('TEN-060 $body answers 400 VALIDATION_FAILED on body.$field and creates nothing', async ({ field, body }) => {
    const owner = await client.newOwner();
    await expectError(client.central('POST', keysPath(owner), { cookie: owner.cookie, body }), 400, 'VALIDATION_FAILED', [`body.${field}`]);
    expect(await keyIds(owner)).toEqual([]);
  });
});

describe('TEN-031 TEN-061 only admins and owners manage API keys', () => {
  it.each([
    { action: 'creating a key', request: (owner: Owner) => ({ method: 'POST', path: keysPath(owner), body: { name: 'Sneaky', role: 'admin' } }) },
    { action: 'listing keys', request: (owner: Owner) => ({ method: 'GET', path: keysPath(owner), body: undefined }) },
    { action: 'revoking a key', request: (owner: Owner, key: CreatedApiKey) => ({ method: 'DELETE', path: `${keysPath(owner)}/${key.id}`, body: undefined }) },
  ])('TEN-031 TEN-061 $action answers 403 FORBIDDEN_ROLE to a member, 404 ORG_NOT_FOUND to a non-member, and changes nothing', async ({ request }) => {
    const owner = await client.newOwner();
    const key = await createKey(owner);
    const member = await addMember(client, owner, 'member');
    const stranger = await client.newOwner();
    const { method, path, body } = request(owner, key);
    await expectError(client.central(method, path, { cookie: member.cookie, body }), 403, 'FORBIDDEN_ROLE');
    await expectError(client.central(method, path, { cookie: stranger.cookie, body }), 404, 'ORG_NOT_FOUND');
    expect(await keyIds(owner)).toEqual([key.id]);
    expect((await tokenForApiKey(client, key.key)).status).toBe(200);
  });
});

describe('TEN-062 exchanging an API key for a token', () => {
  it("TEN-062 the key alone gets a token for its organization with the key's role and sub apikey:<id>, and its last use is recorded", async () => {
    const owner = await client.newOwner();
    const key = await createKey(owner, { name: 'Integration', role: 'admin' });
    keel.clock.advance(60_000);
    const exchanged = await tokenForApiKey(client, key.key);
    expect(exchanged.status).toBe(200);
    const { token, expiresAt, region } = (await exchanged.json()) as { token: string; expiresAt: string; region: string };
    const claims = decodeJwt(token);
    expect({ region, claims }).toEqual({
      region: owner.organization.region,
      claims: expect.objectContaining({ sub: `apikey:${key.id}`, tenant_id: owner.organization.id, role: 'admin', region: owner.organization.region }),
    });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(new Date(expiresAt).getTime()).toBe(claims.exp! * 1000);
    expect((await listedKey(owner, key)).lastUsedAt).toBe(keel.clock.now().toISOString());
  });

  it("TEN-062 a tenantId in the body must be the key's organization: another one answers 404 ORG_NOT_FOUND", async () => {
    const owner = await client.newOwner();
    const other = await client.newOwner();
    const key = await createKey(owner);
    expect((await tokenForApiKey(client, key.key, { tenantId: owner.organization.id })).status).toBe(200);
    for (const tenantId of [other.organization.id, randomUUID()]) await expectError(tokenForApiKey(client, key.key, { tenantId }), 404, 'ORG_NOT_FOUND');
  });
});

describe('TEN-063 only a current API key is exchanged', () => {
  it.each([
    { case: 'an unknown key', authorization: () => `Bearer keel_${randomBytes(32).toString('base64url')}` },
    { case: 'a bearer value that is not a key', authorization: () => 'Bearer not-a-key' },
    { case: 'a key under another scheme', authorization: (key: CreatedApiKey) => `Basic ${key.key}` },
    { case: 'a key followed by more', authorization: (key: CreatedApiKey) => `Bearer ${key.key} ${key.key}` },
  ])('TEN-063 $case answers 401 AUTH_API_KEY_INVALID, even with a session cookie', async ({ authorization }) => {
    const owner = await client.newOwner();
    const key = await createKey(owner);
    const headers = { authorization: authorization(key) };
    await expectError(client.central('POST', '/tokens', { headers }), 401, 'AUTH_API_KEY_INVALID');
    await expectError(client.central('POST', '/tokens', { headers, cookie: owner.cookie, body: { tenantId: owner.organization.id } }), 401, 'AUTH_API_KEY_INVALID');
    expect((await listedKey(owner, key)).lastUsedAt).toBeNull();
  });
});

describe('TEN-064 revoking an API key', () => {
  it('TEN-064 revoking sets revokedAt, publishes tokens.revoked for the home region and is audited; the key is no longer exchanged (TEN-063)', async () => {
    const owner = await client.newOwner();
    // Two keys: more than Free allows (SUB-024).
    await upgradePlan(client, owner, 'pro');
    const key = await createKey(owner);
    const kept = await createKey(owner, { name: 'Kept' });
    keel.clock.advance(1_000);
    const revokedAt = keel.clock.now().toISOString();
    expect((await revoke(owner, key)).status).toBe(204);

    expect(await listedKey(owner, key)).toMatchObject({ revokedAt });
    await expectError(tokenForApiKey(client, key.key), 401, 'AUTH_API_KEY_INVALID');
    expect((await tokenForApiKey(client, kept.key)).status).toBe(200);
    expect(await revocationEvents(owner)).toEqual([
      { type: 'tokens.revoked', tenant_id: owner.organization.id, region: owner.organization.region, payload: { tenantId: owner.organization.id, subject: `apikey:${key.id}`, revokedAt, reason: 'api_key.revoked' } },
    ]);
    expect(await auditOf(owner, 'api_key.revoked')).toEqual([{ actor_user_id: owner.userId, details: { apiKeyId: key.id, name: 'Test key' }, request_id: expect.any(String) }]);
  });

  it('TEN-064 revoking a revoked key answers 204 and publishes and records nothing more', async () => {
    const owner = await client.newOwner();
    const key = await createKey(owner);
    expect((await revoke(owner, key)).status).toBe(204);
    const revokedAt = (await listedKey(owner, key)).revokedAt;
    keel.clock.advance(1_000);
    expect((await revoke(owner, key)).status).toBe(204);
    expect((await listedKey(owner, key)).revokedAt).toBe(revokedAt);
    expect(await revocationEvents(owner)).toHaveLength(1);
    expect(await auditOf(owner, 'api_key.revoked')).toHaveLength(1);
  });

  it("TEN-064 another organization's key, or none, answers 404 API_KEY_NOT_FOUND and stays usable", async () => {
    const owner = await client.newOwner();
    const other = await client.newOwner();
    const othersKey = await createKey(other);
    for (const id of [othersKey.id, randomUUID()]) await expectError(revoke(owner, { id }), 404, 'API_KEY_NOT_FOUND');
    expect((await tokenForApiKey(client, othersKey.key)).status).toBe(200);
    expect(await revocationEvents(other)).toEqual([]);
  });
});

describe('TEN-065 a key token reaches its own organization only, with the key role', () => {
  it("TEN-065 an admin key's token creates stores, a member key's token is refused with 403 FORBIDDEN_ROLE, another organization's key never finds them", async () => {
    const owner = await client.newOwner();
    // Two keys: more than Free allows (SUB-024).
    await upgradePlan(client, owner, 'pro');
    const adminToken = await keyToken(await createKey(owner, { name: 'Admin', role: 'admin' }));
    const memberToken = await keyToken(await createKey(owner, { name: 'Member', role: 'member' }));
    const store = await client.createStoreOnceProvisioned(adminToken, 'Warehouse');

    await expectError(client.api(memberToken, 'POST', '/stores', { name: 'Not allowed' }), 403, 'FORBIDDEN_ROLE');
    expect(await client.storeNames(memberToken)).toEqual(['Warehouse']);

    const other = await client.newOwner();
    const otherToken = await keyToken(await createKey(other, { name: 'Other', role: 'admin' }));
    await client.createStoreOnceProvisioned(otherToken, 'Elsewhere');
    expect(await client.storeNames(otherToken)).toEqual(['Elsewhere']);
    await expectError(client.api(otherToken, 'GET', `/stores/${store.id}`), 404, 'STORE_NOT_FOUND');
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function keysPath(owner: Owner): string {
  return `/organizations/${owner.organization.id}/api-keys`;
}

/** A key of the owner's organization, created by `creator` (the owner by default). */
function createKey(owner: Owner, body?: Record<string, unknown>, creator: Pick<User, 'cookie'> = owner): Promise<CreatedApiKey> {
  return createApiKey(client, creator.cookie, owner.organization.id, body);
}

function revoke(owner: Owner, key: Pick<CreatedApiKey, 'id'>): Promise<Response> {
  return client.central('DELETE', `${keysPath(owner)}/${key.id}`, { cookie: owner.cookie });
}

async function keyToken(key: CreatedApiKey): Promise<string> {
  const response = await tokenForApiKey(client, key.key);
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function listedKeys(owner: Owner): Promise<{ id: string; lastUsedAt: string | null; revokedAt: string | null }[]> {
  const response = await client.central('GET', keysPath(owner), { cookie: owner.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { id: string; lastUsedAt: string | null; revokedAt: string | null }[] }).items;
}

async function keyIds(owner: Owner): Promise<string[]> {
  return (await listedKeys(owner)).map((key) => key.id);
}

async function listedKey(owner: Owner, key: CreatedApiKey) {
  const found = (await listedKeys(owner)).find((listed) => listed.id === key.id);
  expect(found).toBeDefined();
  return found!;
}

function auditOf(owner: Owner, action: string) {
  return centralSql(keel, 'select actor_user_id, details, request_id from audit_events where organization_id = $1 and action = $2 order by occurred_at', [owner.organization.id, action]);
}

function revocationEvents(owner: Owner) {
  return centralSql(keel, `select type, tenant_id, region, payload from feed_events where tenant_id = $1 and type = 'tokens.revoked' order by position`, [owner.organization.id]);
}
