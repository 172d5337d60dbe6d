import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToFeed, type CentralEvent } from '@keel/central';
import { apiKeySubject, CENTRAL_EVENT_TYPES, type TokensRevokedPayload } from '@keel/central/contracts';
import { createDatabase, createLogger, createPool, type Database } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { tenantRow } from '../../../../test/support/central-feed-probe.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';

/**
 * The region applies central's `tokens.revoked` and `tenant.renamed` from the feed (HTTP pull in
 * one-process mode). Events are appended to central's feed here as central's member and API-key
 * endpoints append them; tokens come from the test issuer, on the same manual clock as `revokedAt`.
 */
let keel: TestKeel;
let centralPool: pg.Pool;
let central: Database;
let regionalOwner: pg.Client;

beforeAll(async () => {
  keel = await startTestKeel({ FEED_LONG_POLL_MS: '2000' });
  centralPool = createPool(keel.databases.central.app, { applicationName: 'test-central', logger: createLogger({ level: 'silent' }) });
  central = createDatabase(centralPool);
  regionalOwner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await regionalOwner.connect();
});

afterAll(async () => {
  await regionalOwner?.end();
  await centralPool?.end();
  await keel?.stop();
});

describe('TEN-032 a revoked subject\'s tokens stop working before they expire', () => {
  it.each([
    { reason: 'member.removed', subject: () => randomUUID() },
    { reason: 'member.role_changed', subject: () => randomUUID() },
    { reason: 'api_key.revoked', subject: () => apiKeySubject(randomUUID()) },
  ] as const)('TEN-032 after $reason, a token issued before it answers 401 AUTH_TOKEN_REVOKED within its lifetime; one issued a second later works', async ({ reason, subject: newSubject }) => {
    const tenantId = await newTenant();
    const subject = newSubject();
    const before = await keel.issuer.sign({ tenantId, userId: subject });
    expect(await storesStatus(before)).toEqual({ status: 200 });

    await revoke({ tenantId, subject, reason });
    await waitUntil(async () => (await storesStatus(before)).status === 401);
    expect(await storesStatus(before)).toEqual({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    // The manual clock has not moved: the refused token is well within its 5 minutes.
    expect(await storesStatus(await keel.issuer.sign({ tenantId, userId: subject }))).toEqual({ status: 401, code: 'AUTH_TOKEN_REVOKED' });

    keel.clock.advance(1_000);
    expect(await storesStatus(await keel.issuer.sign({ tenantId, userId: subject }))).toEqual({ status: 200 });
  });
});

describe('TEN-033 a revocation is of one subject in one tenant', () => {
  it('TEN-033 the same subject in another tenant, and another subject in the same tenant, keep working', async () => {
    const [tenantId, otherTenantId] = [await newTenant(), await newTenant()];
    const [subject, colleague] = [randomUUID(), randomUUID()];
    const revoked = await keel.issuer.sign({ tenantId, userId: subject });
    const elsewhere = await keel.issuer.sign({ tenantId: otherTenantId, userId: subject });
    const colleagues = await keel.issuer.sign({ tenantId, userId: colleague });

    await revoke({ tenantId, subject, reason: 'member.removed' });
    await waitUntil(async () => (await storesStatus(revoked)).status === 401);
    expect([await storesStatus(elsewhere), await storesStatus(colleagues)]).toEqual([{ status: 200 }, { status: 200 }]);
  });
});

describe('TEN-034 the latest revocation holds', () => {
  it('TEN-034 an older revocation applied after a newer one (out of order, as SNS may deliver) changes nothing', async () => {
    const tenantId = await newTenant();
    const subject = randomUUID();
    const earlier = keel.clock.now();
    keel.clock.advance(10_000);
    const between = await keel.issuer.sign({ tenantId, userId: subject });
    keel.clock.advance(10_000);
    await revoke({ tenantId, subject, reason: 'member.role_changed' });
    await revoke({ tenantId, subject, reason: 'member.removed', revokedAt: earlier });
    await waitUntil(async () => (await revocationsApplied(tenantId)) === 2);
    expect(await storesStatus(between)).toEqual({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    expect(await revocationReason(tenantId, subject)).toBe('member.role_changed');
  });
});

describe('TEN-035 the region keeps the tenant name central publishes', () => {
  it('TEN-035 tenant.renamed renames the region\'s copy of the tenant', async () => {
    const tenantId = await newTenant();
    await append({ type: CENTRAL_EVENT_TYPES.tenantRenamed, tenantId, region: 'local', payload: { tenantId, name: 'Renamed Retail' } });
    await waitUntil(async () => (await tenantRow(regionalOwner, tenantId))?.name === 'Renamed Retail');
    expect(await tenantRow(regionalOwner, tenantId)).toMatchObject({ name: 'Renamed Retail' });
  });
});

async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

async function append(event: CentralEvent): Promise<void> {
  await central.transaction((tx) => appendToFeed(tx, [event]));
}

async function revoke(input: { tenantId: string; subject: string; reason: TokensRevokedPayload['reason']; revokedAt?: Date }): Promise<void> {
  const payload: TokensRevokedPayload = { tenantId: input.tenantId, subject: input.subject, reason: input.reason, revokedAt: (input.revokedAt ?? keel.clock.now()).toISOString() };
  await append({ type: CENTRAL_EVENT_TYPES.tokensRevoked, tenantId: input.tenantId, region: 'local', payload });
}

async function storesStatus(token: string): Promise<{ status: number; code?: string }> {
  const response = await keel.app.inject({ method: 'GET', url: '/api/v1/stores', headers: { authorization: `Bearer ${token}` } });
  return response.statusCode === 200 ? { status: 200 } : { status: response.statusCode, code: response.json<{ code: string }>().code };
}

async function revocationReason(tenantId: string, subject: string): Promise<string | undefined> {
  const { rows } = await asTenant(regionalOwner, tenantId, (client) => client.query<{ reason: string }>('select reason from token_revocations where tenant_id = $1 and subject = $2', [tenantId, subject]));
  return rows[0]?.reason;
}

/** How many `tokens.revoked` events the region has applied for the tenant (the consumer's ledger rows). */
async function revocationsApplied(tenantId: string): Promise<number> {
  const { rows } = await asTenant(regionalOwner, tenantId, (client) =>
    client.query<{ count: number }>(`select count(*)::int as count from processed_messages where tenant_id = $1 and consumer = 'token-revocation'`, [tenantId]),
  );
  return rows[0]!.count;
}
