import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, centralClient, centralSql, expectError, upgradePlan, type CentralClient, type Owner, type User } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/**
 * An organization's members over real HTTP — listing, changing roles, removing, leaving — and
 * renaming the organization; the feed events and audit entries read from central's database.
 */

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '' });
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-040 endpoints of an organization', () => {
  it.each([
    { name: 'renaming it', method: 'PATCH', path: '', body: { name: 'Taken over' } },
    { name: 'listing members', method: 'GET', path: '/members', body: undefined },
    { name: 'changing a role', method: 'PATCH', path: '/members/:ownerId', body: { role: 'member' } },
    { name: 'removing a member', method: 'DELETE', path: '/members/:ownerId', body: undefined },
    { name: 'leaving', method: 'POST', path: '/leave', body: undefined },
    { name: 'listing invitations', method: 'GET', path: '/invitations', body: undefined },
    { name: 'inviting', method: 'POST', path: '/invitations', body: { email: 'someone@keel.test', role: 'member' } },
    { name: 'revoking an invitation', method: 'DELETE', path: '/invitations/:invitationId', body: undefined },
  ])('TEN-040 $name answers 401 without a session, 404 ORG_NOT_FOUND to a non-member whether or not it exists, and changes nothing', async ({ method, path, body }) => {
    const owner = await client.newOwner();
    const invitationId = await invite(owner, owner.organization.id, { email: `pending-${randomUUID()}@keel.test`, role: 'member' });
    const before = await stateOf(owner);
    const stranger = await client.signUp();
    for (const organizationId of [owner.organization.id, randomUUID()]) {
      const url = `/organizations/${organizationId}${path.replace(':ownerId', owner.userId).replace(':invitationId', invitationId)}`;
      await expectError(client.central(method, url, { body }), 401, 'AUTH_SESSION_MISSING');
      await expectError(client.central(method, url, { cookie: stranger.cookie, body }), 404, 'ORG_NOT_FOUND');
    }
    expect(await stateOf(owner)).toEqual(before);
  });
});

describe('TEN-041 renaming an organization', () => {
  it('TEN-041 an admin renames it: the organization as listed, tenant.renamed for its home region, organization.renamed audited', async () => {
    const { owner, admin } = await newTeam();
    const organizationId = owner.organization.id;
    const renamed = await client.central('PATCH', `/organizations/${organizationId}`, { cookie: admin.cookie, body: { name: '  Acme Renamed ' } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toEqual({ ...owner.organization, name: 'Acme Renamed', role: 'admin' });
    expect(await client.myOrganizations(owner.cookie)).toEqual([{ ...owner.organization, name: 'Acme Renamed' }]);
    expect(await feedOf(organizationId, 'tenant.renamed')).toEqual([{ region: owner.organization.region, payload: { tenantId: organizationId, name: 'Acme Renamed' } }]);
    expect(await auditOf(organizationId, 'organization.renamed')).toEqual([{ actor: admin.userId, details: { from: owner.organization.name, to: 'Acme Renamed' } }]);
  });

  it('TEN-041 the same name answers the organization and publishes and records nothing', async () => {
    const owner = await client.newOwner();
    const renamed = await client.central('PATCH', `/organizations/${owner.organization.id}`, { cookie: owner.cookie, body: { name: owner.organization.name } });
    expect({ status: renamed.status, body: await renamed.json() }).toEqual({ status: 200, body: owner.organization });
    expect(await feedOf(owner.organization.id, 'tenant.renamed')).toEqual([]);
    expect(await auditOf(owner.organization.id, 'organization.renamed')).toEqual([]);
  });

  it('TEN-031 a member cannot rename it: 403 FORBIDDEN_ROLE, the name unchanged', async () => {
    const { owner, member } = await newTeam();
    await expectError(client.central('PATCH', `/organizations/${owner.organization.id}`, { cookie: member.cookie, body: { name: 'Mine now' } }), 403, 'FORBIDDEN_ROLE');
    expect(await client.myOrganizations(owner.cookie)).toEqual([owner.organization]);
    expect(await feedOf(owner.organization.id, 'tenant.renamed')).toEqual([]);
  });
});

describe('TEN-042 listing members', () => {
  it('TEN-042 any member lists every member with name, email, role and joining time', async () => {
    const { owner, admin, member } = await newTeam();
    const expected = [
      { userId: owner.userId, name: 'Test User', email: owner.email, role: 'owner', joinedAt: expect.any(String) },
      { userId: admin.userId, name: 'Test User', email: admin.email, role: 'admin', joinedAt: expect.any(String) },
      { userId: member.userId, name: 'Test User', email: member.email, role: 'member', joinedAt: expect.any(String) },
    ];
    for (const reader of [owner, admin, member]) expect(await members(reader, owner.organization.id)).toEqual(expected);
  });

  it('TEN-042 the number of queries does not grow with the number of members', async () => {
    const owner = await client.newOwner();
    // Four members: more than Free allows (SUB-024).
    await upgradePlan(client, owner, 'pro');
    const queriesWithOne = await membersQueryCount(owner);
    await Promise.all([addMember(client, owner, 'member'), addMember(client, owner, 'admin'), addMember(client, owner, 'member')]);
    expect(await members(owner, owner.organization.id)).toHaveLength(4);
    expect(await membersQueryCount(owner)).toBe(queriesWithOne);
  });
});

describe('TEN-050 changing a role', () => {
  it('TEN-050 an admin makes a member admin: the member answered, tokens.revoked for the home region, member.role_changed audited, new tokens with the new role', async () => {
    const { owner, admin, member } = await newTeam();
    const organizationId = owner.organization.id;
    const changed = await changeRole(admin, organizationId, member.userId, 'admin');
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ userId: member.userId, name: 'Test User', email: member.email, role: 'admin', joinedAt: expect.any(String) });
    expect(await feedOf(organizationId, 'tokens.revoked')).toEqual([revoked(owner, member, 'member.role_changed')]);
    expect(await auditOf(organizationId, 'member.role_changed')).toEqual([{ actor: admin.userId, details: { userId: member.userId, from: 'member', to: 'admin' } }]);
    expect(decodeJwt(await client.token(member, organizationId)).role).toBe('admin');
  });

  it('TEN-050 the same role answers the member and publishes and records nothing', async () => {
    const { owner, member } = await newTeam();
    const unchanged = await changeRole(owner, owner.organization.id, member.userId, 'member');
    expect({ status: unchanged.status, role: ((await unchanged.json()) as { role: string }).role }).toEqual({ status: 200, role: 'member' });
    expect(await feedOf(owner.organization.id, 'tokens.revoked')).toEqual([]);
    expect(await auditOf(owner.organization.id, 'member.role_changed')).toEqual([]);
  });

  it('TEN-050 a user who is not a member (of this organization) answers 404 MEMBER_NOT_FOUND', async () => {
    const owner = await client.newOwner();
    const elsewhere = await client.newOwner();
    for (const userId of [randomUUID(), elsewhere.userId]) await expectError(changeRole(owner, owner.organization.id, userId, 'admin'), 404, 'MEMBER_NOT_FOUND');
  });

  it('TEN-050 TEN-053 an owner makes someone owner', async () => {
    const { owner, admin, member } = await newTeam();
    expect((await changeRole(owner, owner.organization.id, member.userId, 'owner')).status).toBe(200);
    expect(await rolesIn(owner, owner.organization.id)).toEqual({ [owner.userId]: 'owner', [admin.userId]: 'admin', [member.userId]: 'owner' });
  });
});

describe('TEN-051 removing a member and leaving', () => {
  it('TEN-051 an admin removes a member: gone from the list, tokens.revoked, member.removed audited, no more tokens', async () => {
    const { owner, admin, member } = await newTeam();
    const organizationId = owner.organization.id;
    expect((await client.central('DELETE', `/organizations/${organizationId}/members/${member.userId}`, { cookie: admin.cookie })).status).toBe(204);
    expect(Object.keys(await rolesIn(owner, owner.organization.id))).toEqual([owner.userId, admin.userId]);
    expect(await feedOf(organizationId, 'tokens.revoked')).toEqual([revoked(owner, member, 'member.removed')]);
    expect(await auditOf(organizationId, 'member.removed')).toEqual([{ actor: admin.userId, details: { userId: member.userId, role: 'member' } }]);
    await expectError(client.tokenFor(member.cookie, organizationId), 404, 'ORG_NOT_FOUND');
  });

  it('TEN-051 a member leaves: gone from the list, tokens.revoked, member.left audited, no more tokens', async () => {
    const { owner, member } = await newTeam();
    const organizationId = owner.organization.id;
    expect((await leave(member, organizationId)).status).toBe(204);
    expect(await client.myOrganizations(member.cookie)).toEqual([]);
    expect(Object.keys(await rolesIn(owner, owner.organization.id))).not.toContain(member.userId);
    expect(await feedOf(organizationId, 'tokens.revoked')).toEqual([revoked(owner, member, 'member.removed')]);
    expect(await auditOf(organizationId, 'member.left')).toEqual([{ actor: member.userId, details: { userId: member.userId, role: 'member' } }]);
    await expectError(client.tokenFor(member.cookie, organizationId), 404, 'ORG_NOT_FOUND');
  });

  it('TEN-051 removing a user who is not a member answers 404 MEMBER_NOT_FOUND', async () => {
    const owner = await client.newOwner();
    await expectError(client.central('DELETE', `/organizations/${owner.organization.id}/members/${randomUUID()}`, { cookie: owner.cookie }), 404, 'MEMBER_NOT_FOUND');
  });
});

describe('TEN-052 the last owner', () => {
  it.each([
    { name: 'demoting', act: (owner: Owner) => changeRole(owner, owner.organization.id, owner.userId, 'admin') },
    { name: 'removing', act: (owner: Owner) => client.central('DELETE', `/organizations/${owner.organization.id}/members/${owner.userId}`, { cookie: owner.cookie }) },
    { name: 'leaving', act: (owner: Owner) => leave(owner, owner.organization.id) },
  ])('TEN-052 $name the last owner answers 409 ORG_LAST_OWNER and changes nothing', async ({ act }) => {
    const { owner, admin } = await newTeam();
    const before = await rolesIn(owner, owner.organization.id);
    await expectError(act(owner), 409, 'ORG_LAST_OWNER');
    expect(await rolesIn(admin, owner.organization.id)).toEqual(before);
    expect(await feedOf(owner.organization.id, 'tokens.revoked')).toEqual([]);
  });

  it.each([
    { name: 'demote', act: (by: User, other: User, organizationId: string) => changeRole(by, organizationId, other.userId, 'admin') },
    { name: 'remove', act: (by: User, other: User, organizationId: string) => client.central('DELETE', `/organizations/${organizationId}/members/${other.userId}`, { cookie: by.cookie }) },
  ])('TEN-052 two owners who $name each other at once: exactly one succeeds and one owner remains', async ({ act }) => {
    const owner = await client.newOwner();
    const second = await addMember(client, owner, 'owner');
    const organizationId = owner.organization.id;
    const answers = await Promise.all([act(owner, second, organizationId), act(second, owner, organizationId)]);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    const survivor = answers[0]!.ok ? owner : second;
    expect(Object.values(await rolesIn(survivor, organizationId)).filter((role) => role === 'owner')).toHaveLength(1);
    expect(await feedOf(organizationId, 'tokens.revoked')).toHaveLength(1);
  });
});

describe('TEN-031 TEN-053 roles that may not change members', () => {
  it.each([
    { name: 'a member changing a role', act: (team: Team) => changeRole(team.member, team.owner.organization.id, team.admin.userId, 'member') },
    { name: 'a member removing an admin', act: (team: Team) => remove(team.member, team, team.admin) },
  ])('TEN-031 $name answers 403 FORBIDDEN_ROLE and changes nothing', expectRefused);

  it.each([
    { name: 'an admin making someone owner', act: (team: Team) => changeRole(team.admin, team.owner.organization.id, team.member.userId, 'owner') },
    { name: "an admin changing an owner's role", act: (team: Team) => changeRole(team.admin, team.owner.organization.id, team.owner.userId, 'admin') },
    { name: 'an admin removing an owner', act: (team: Team) => remove(team.admin, team, team.owner) },
  ])('TEN-031 TEN-053 $name answers 403 FORBIDDEN_ROLE and changes nothing', expectRefused);

  async function expectRefused({ act }: { act: (team: Team) => Promise<Response> }): Promise<void> {
    const team = await newTeam();
    const before = await rolesIn(team.owner, team.owner.organization.id);
    await expectError(act(team), 403, 'FORBIDDEN_ROLE');
    expect(await rolesIn(team.owner, team.owner.organization.id)).toEqual(before);
    expect(await feedOf(team.owner.organization.id, 'tokens.revoked')).toEqual([]);
  }
});

interface Team {
  owner: Owner;
  admin: User;
  member: User;
}

/** An organization with an owner, an admin and a member, who joined in that order. */
async function newTeam(): Promise<Team> {
  const owner = await client.newOwner();
  const admin = await addMember(client, owner, 'admin');
  const member = await addMember(client, owner, 'member');
  return { owner, admin, member };
}

function changeRole(by: Pick<User, 'cookie'>, organizationId: string, userId: string, role: string): Promise<Response> {
  return client.central('PATCH', `/organizations/${organizationId}/members/${userId}`, { cookie: by.cookie, body: { role } });
}

function remove(by: User, team: Team, whom: User): Promise<Response> {
  return client.central('DELETE', `/organizations/${team.owner.organization.id}/members/${whom.userId}`, { cookie: by.cookie });
}

function leave(user: User, organizationId: string): Promise<Response> {
  return client.central('POST', `/organizations/${organizationId}/leave`, { cookie: user.cookie });
}

async function invite(by: User, organizationId: string, body: { email: string; role: string }): Promise<string> {
  const response = await client.central('POST', `/organizations/${organizationId}/invitations`, { cookie: by.cookie, body });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function members(reader: User, organizationId: string): Promise<{ userId: string; role: string }[]> {
  const response = await client.central('GET', `/organizations/${organizationId}/members`, { cookie: reader.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { userId: string; role: string }[] }).items;
}

/** Each member's role, as `reader` lists them (in joining order). */
async function rolesIn(reader: User, organizationId: string): Promise<Record<string, string>> {
  const items = await members(reader, organizationId);
  return Object.fromEntries(items.map((item) => [item.userId, item.role]));
}

async function membersQueryCount(owner: Owner): Promise<string | null> {
  const response = await client.central('GET', `/organizations/${owner.organization.id}/members`, { cookie: owner.cookie });
  expect(response.status).toBe(200);
  return response.headers.get('x-query-count');
}

/** What an outsider's attempt must leave as it was: the name, the members, the pending invitations. */
async function stateOf(owner: Owner) {
  const invitations = await client.central('GET', `/organizations/${owner.organization.id}/invitations`, { cookie: owner.cookie });
  return { organizations: await client.myOrganizations(owner.cookie), members: await members(owner, owner.organization.id), invitations: await invitations.json() };
}

function revoked(owner: Owner, member: User, reason: string) {
  const organizationId = owner.organization.id;
  return { region: owner.organization.region, payload: { tenantId: organizationId, subject: member.userId, revokedAt: keel.clock.now().toISOString(), reason } };
}

/** The organization's feed events of one type, in feed order, as central appended them. */
function feedOf(organizationId: string, type: string) {
  return centralSql(keel, 'select region, payload from feed_events where tenant_id = $1 and type = $2 order by position', [organizationId, type]);
}

/** The organization's audit entries of one action: who acted, with what details. */
function auditOf(organizationId: string, action: string) {
  return centralSql(keel, 'select actor_user_id as actor, details from audit_events where organization_id = $1 and action = $2 order by occurred_at', [organizationId, action]);
}
