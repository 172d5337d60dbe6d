import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, centralClient, expectError, type CentralClient } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';

/**
 * A token request that arrives while a member change holds the organization's lock waits for it,
 * then answers from the changed membership — never from the one the change replaced.
 */
let keel: TestKeel;
let client: CentralClient;
let owner: pg.Client;

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '' });
  client = centralClient(keel);
  owner = new pg.Client({ connectionString: keel.databases.central.owner });
  await owner.connect();
});

afterAll(async () => {
  await owner?.end();
  await keel?.stop();
});

describe('TEN-029 a token request racing a member change', () => {
  it('TEN-029 TEN-051 a request that waited for a removal answers 404 ORG_NOT_FOUND, not a token of the removed member', async () => {
    const organizationOwner = await client.newOwner();
    const member = await addMember(client, organizationOwner, 'admin');
    const tenantId = organizationOwner.organization.id;

    await owner.query('begin');
    await owner.query('select id from organizations where id = $1 for update', [tenantId]);
    await owner.query('delete from memberships where organization_id = $1 and user_id = $2', [tenantId, member.userId]);
    const pending = client.tokenFor(member.cookie, tenantId);
    await waitUntil(async () => (await blockedOnALock()) > 0);
    await owner.query('commit');

    await expectError(pending, 404, 'ORG_NOT_FOUND');
  });

  it('TEN-029 TEN-050 a request that waited for a role change gets a token with the new role', async () => {
    const organizationOwner = await client.newOwner();
    const member = await addMember(client, organizationOwner, 'admin');
    const tenantId = organizationOwner.organization.id;

    await owner.query('begin');
    await owner.query('select id from organizations where id = $1 for update', [tenantId]);
    await owner.query(`update memberships set role = 'member' where organization_id = $1 and user_id = $2`, [tenantId, member.userId]);
    const pending = client.tokenFor(member.cookie, tenantId);
    await waitUntil(async () => (await blockedOnALock()) > 0);
    await owner.query('commit');

    const response = await pending;
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'))).toMatchObject({ role: 'member' });
  });
});

/** Sessions of central's database waiting for a lock (the token request, once it reached the organization's row), seen as a superuser sees every session. */
async function blockedOnALock(): Promise<number> {
  const observer = new pg.Client({ connectionString: keel.databases.superuserUrl });
  await observer.connect();
  try {
    const database = new URL(keel.databases.central.owner).pathname.slice(1);
    const { rows } = await observer.query<{ count: number }>(`select count(*)::int as count from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`, [database]);
    return rows[0]!.count;
  } finally {
    await observer.end();
  }
}
