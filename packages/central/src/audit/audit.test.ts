import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, centralSql, expectError, newEmail, TEST_PASSWORD, type CentralClient, type Owner, type User } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/**
 * Central's audit log: account events written by real sign-ins and password changes, read by an
 * organization's owners. Entries of other modules (API keys, renames) and memberships other than
 * the creator's are set up with SQL as the database owner: this file tests the log, not them.
 */

interface AuditItem {
  id: string;
  action: string;
  actor: { userId: string; email: string | null; name: string | null } | { apiKeyId: string } | null;
  details: Record<string, unknown>;
  requestId: string | null;
  occurredAt: string;
}

interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

const USER_AGENT = 'keel-audit-test';

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  keel = await startTestKeel();
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-090 sign-ins are recorded', () => {
  it('TEN-090 a successful sign-in appends user.signed_in for the user, with no organization, its address and user agent, and the request id of the sign-in', async () => {
    const user = await client.signUp();
    const requestId = `sign-in-${randomUUID()}`;
    expect((await signIn(user.email, TEST_PASSWORD, requestId)).status).toBe(200);
    expect(await accountEvents(user.userId)).toEqual([
      { organization_id: null, action: 'user.signed_in', request_id: requestId, details: { ipAddress: '127.0.0.1', userAgent: USER_AGENT }, occurred_at: keel.clock.now() },
    ]);
  });

  it('TEN-090 a failed sign-in and a sign-up append nothing', async () => {
    const user = await client.signUp();
    expect((await signIn(user.email, 'not the password')).status).toBe(401);
    expect(await accountEvents(user.userId)).toEqual([]);
  });
});

describe('TEN-091 password changes are recorded', () => {
  it('TEN-091 changing the password appends user.password_changed with the request id of the change; a refused change appends nothing', async () => {
    const user = await client.signUp();
    expect((await authPost('/change-password', { currentPassword: 'not the password', newPassword: 'a brand new passphrase' }, { cookie: user.cookie })).status).toBe(400);
    const requestId = `change-${randomUUID()}`;
    const changed = await authPost('/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase', revokeOtherSessions: true }, { cookie: user.cookie, requestId });
    expect(changed.status).toBe(200);
    expect(await accountEvents(user.userId)).toEqual([
      { organization_id: null, action: 'user.password_changed', request_id: requestId, details: { otherSessionsRevoked: true }, occurred_at: keel.clock.now() },
    ]);
  });

  it('TEN-091 resetting the password with the emailed link appends user.password_reset with the request id of the reset', async () => {
    const user = await client.signUp();
    expect((await authPost('/request-password-reset', { email: user.email })).status).toBe(200);
    const link = client.emailsTo(user.email).find((message) => message.link.startsWith(`${keel.url}/reset-password?`))!.link;
    const requestId = `reset-${randomUUID()}`;
    expect((await authPost('/reset-password', { token: new URL(link).searchParams.get('token'), newPassword: 'a brand new passphrase' }, { requestId })).status).toBe(200);
    expect(await accountEvents(user.userId)).toEqual([{ organization_id: null, action: 'user.password_reset', request_id: requestId, details: {}, occurred_at: keel.clock.now() }]);
  });
});

describe('TEN-092 only owners read the audit log', () => {
  let owner: Owner;

  beforeAll(async () => {
    owner = await client.newOwner();
  });

  it('TEN-092 an owner reads it', async () => {
    expect((await readAudit(owner.cookie, owner.organization.id)).status).toBe(200);
  });

  it.each(['admin', 'member'] as const)('TEN-092 an %s gets 403 FORBIDDEN_ROLE', async (role) => {
    const user = await client.signUp();
    await addMembership(owner.organization.id, user.userId, role);
    await expectError(readAudit(user.cookie, owner.organization.id), 403, 'FORBIDDEN_ROLE');
  });

  it('TEN-092 a user who is not a member gets 404 ORG_NOT_FOUND, as for an organization that does not exist', async () => {
    const stranger = await client.signUp();
    await expectError(readAudit(stranger.cookie, owner.organization.id), 404, 'ORG_NOT_FOUND');
    await expectError(readAudit(owner.cookie, randomUUID()), 404, 'ORG_NOT_FOUND');
  });

  it('TEN-092 without a session it answers 401 AUTH_SESSION_MISSING', async () => {
    await expectError(readAudit(undefined, owner.organization.id), 401, 'AUTH_SESSION_MISSING');
  });
});

describe('TEN-093 what the audit log shows', () => {
  it("TEN-093 the organization's entries and the sign-ins of its current members, newest first, with each actor; never other organizations' entries or others' sign-ins", async () => {
    const owner = await client.newOwner();
    const member = await client.signUp();
    await addMembership(owner.organization.id, member.userId, 'member');
    const outsider = await client.newOwner();
    const ownerSignIn = await signInAt(owner);
    const memberSignIn = await signInAt(member);
    await signInAt(outsider);
    await authPost('/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' }, { cookie: owner.cookie });
    const apiKeyId = randomUUID();
    keel.clock.advance(1_000);
    const keyCreated = await seedEntry({ organizationId: owner.organization.id, actorApiKeyId: apiKeyId, action: 'api_key.created', details: { apiKeyId } });
    await seedEntry({ organizationId: outsider.organization.id, actorUserId: outsider.userId, action: 'organization.renamed' });

    expect(await entries(owner)).toEqual([
      { id: keyCreated.id, action: 'api_key.created', actor: { apiKeyId }, details: { apiKeyId }, requestId: null, occurredAt: keyCreated.occurredAt },
      { id: expect.any(String), action: 'user.signed_in', actor: { userId: member.userId, email: member.email, name: 'Test User' }, details: expect.any(Object), requestId: memberSignIn.requestId, occurredAt: memberSignIn.at },
      { id: expect.any(String), action: 'user.signed_in', actor: { userId: owner.userId, email: owner.email, name: 'Test User' }, details: expect.any(Object), requestId: ownerSignIn.requestId, occurredAt: ownerSignIn.at },
    ]);
  });

  it('TEN-093 the sign-ins of a former member are no longer shown', async () => {
    const owner = await client.newOwner();
    const member = await client.signUp();
    await addMembership(owner.organization.id, member.userId, 'admin');
    await signInAt(member);
    expect((await entries(owner)).map((item) => item.actor)).toContainEqual(expect.objectContaining({ userId: member.userId }));
    await centralSql(keel, 'delete from memberships where organization_id = $1 and user_id = $2', [owner.organization.id, member.userId]);
    expect(await entries(owner)).toEqual([]);
  });
});

describe('TEN-094 paging through the audit log', () => {
  it('TEN-094 pages follow one another by cursor, newest first, without gaps or repeats, even among entries of the same instant', async () => {
    const owner = await ownerWithEmptyLog();
    const seeded = await seedMembersSignIns(owner, 12);
    const expected = [...seeded].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id)).map((entry) => entry.id);
    const pages: AuditPage[] = [];
    let cursor: string | null = null;
    do {
      const response = await readAudit(owner.cookie, owner.organization.id, `limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as AuditPage;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages.map((page) => page.items.length)).toEqual([5, 5, 2]);
    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(expected);
  });

  it('TEN-094 a page takes the same number of statements for 2 entries as for 40 (no N+1)', async () => {
    const owner = await ownerWithEmptyLog();
    await seedMembersSignIns(owner, 40);
    const small = await readAudit(owner.cookie, owner.organization.id, 'limit=2');
    const large = await readAudit(owner.cookie, owner.organization.id, 'limit=40');
    expect(((await large.json()) as AuditPage).items).toHaveLength(40);
    expect(large.headers.get('x-query-count')).toBe(small.headers.get('x-query-count'));
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=201', 'query.limit'],
    ['cursor=not-a-cursor', 'query.cursor'],
  ])('TEN-094 ?%s answers 400 VALIDATION_FAILED naming %s', async (query, path) => {
    const owner = await client.newOwner();
    await expectError(readAudit(owner.cookie, owner.organization.id, query), 400, 'VALIDATION_FAILED', [path]);
  });
});

describe('TEN-095 the audit log is append-only', () => {
  it.each([
    ['update', `update audit_events set action = 'tampered'`],
    ['delete', 'delete from audit_events'],
  ])("TEN-095 central's app role cannot %s an entry", async (_verb, statement) => {
    const app = new pg.Client({ connectionString: keel.databases.central.app });
    await app.connect();
    try {
      await expect(app.query(statement)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.end();
    }
  });
});

function authPost(path: string, body: unknown, options: { cookie?: string; requestId?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', origin: keel.url, 'user-agent': USER_AGENT };
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  if (options.requestId !== undefined) headers['x-request-id'] = options.requestId;
  return fetch(`${keel.url}/api/auth${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

function signIn(email: string, password: string, requestId?: string): Promise<Response> {
  return authPost('/sign-in/email', { email, password }, requestId === undefined ? {} : { requestId });
}

/** Moves the clock on a second, then signs the user in; returns that sign-in's request id and time. */
async function signInAt(user: User): Promise<{ requestId: string; at: string }> {
  keel.clock.advance(1_000);
  const requestId = `sign-in-${randomUUID()}`;
  expect((await signIn(user.email, TEST_PASSWORD, requestId)).status).toBe(200);
  return { requestId, at: keel.clock.now().toISOString() };
}

function readAudit(cookie: string | undefined, organizationId: string, query = ''): Promise<Response> {
  return client.central('GET', `/organizations/${organizationId}/audit${query ? `?${query}` : ''}`, { cookie });
}

/** The owner's first page of the log, without `organization.created` (whether creating one is audited is another module's choice). */
async function entries(owner: Owner): Promise<AuditItem[]> {
  const response = await readAudit(owner.cookie, owner.organization.id);
  expect(response.status).toBe(200);
  return ((await response.json()) as AuditPage).items.filter((item) => item.action !== 'organization.created');
}

function accountEvents(userId: string): Promise<Record<string, unknown>[]> {
  return centralSql(keel, 'select organization_id, action, request_id, details, occurred_at from audit_events where actor_user_id = $1 and organization_id is null order by occurred_at', [userId]);
}

async function addMembership(organizationId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
  await centralSql(keel, 'insert into memberships (organization_id, user_id, role) values ($1, $2, $3)', [organizationId, userId, role]);
}

async function seedEntry(entry: { organizationId: string | null; actorUserId?: string; actorApiKeyId?: string; action: string; details?: unknown; at?: Date }): Promise<{ id: string; occurredAt: string }> {
  const [row] = await centralSql<{ id: string; occurred_at: Date }>(
    keel,
    'insert into audit_events (organization_id, actor_user_id, actor_api_key_id, action, details, occurred_at) values ($1, $2, $3, $4, $5, $6) returning id, occurred_at',
    [entry.organizationId, entry.actorUserId ?? null, entry.actorApiKeyId ?? null, entry.action, JSON.stringify(entry.details ?? {}), entry.at ?? keel.clock.now()],
  );
  return { id: row!.id, occurredAt: row!.occurred_at.toISOString() };
}

/** A new owner whose organization's log starts empty (creating it may be audited: that entry is removed). */
async function ownerWithEmptyLog(): Promise<Owner> {
  const owner = await client.newOwner();
  await centralSql(keel, 'delete from audit_events where organization_id = $1', [owner.organization.id]);
  return owner;
}

/**
 * `count` members of the owner's organization, each with its own account and a `user.signed_in`
 * entry, three at a time sharing an instant (users inserted directly: no password hashing).
 */
async function seedMembersSignIns(owner: Owner, count: number): Promise<{ id: string; occurredAt: string }[]> {
  const start = keel.clock.now().getTime();
  const seeded: { id: string; occurredAt: string }[] = [];
  for (let index = 0; index < count; index++) {
    const [user] = await centralSql<{ id: string }>(keel, `insert into users (name, email) values ('Seeded Member', $1) returning id`, [newEmail()]);
    await addMembership(owner.organization.id, user!.id, 'member');
    seeded.push(await seedEntry({ organizationId: null, actorUserId: user!.id, action: 'user.signed_in', at: new Date(start - Math.floor(index / 3) * 1_000) }));
  }
  return seeded;
}
