import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  centralClient,
  centralSql,
  expectError,
  invitationToken,
  newEmail,
  upgradePlanInRegion,
  type CentralClient,
  type Organization,
  type Owner,
  type User,
} from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { INVITATION_LIFETIME_MS } from './invitations.ts';

/**
 * Invitations over real HTTP: an admin invites an email, the link arrives by email (the
 * development mailer's log), the accept page previews it without a session, and the account with
 * that email accepts it once. Rows and audit entries are read from central's database.
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

describe('TEN-043 inviting', () => {
  it("TEN-043 an admin invites an email: stored lower-cased, expiring 7 days later, only a hash of the token kept, the link emailed, invitation.created audited", async () => {
    const { owner, admin } = await newTeam();
    const email = `New.Person-${randomUUID()}@Keel.TEST`;
    const response = await invite(admin, owner.organization, { email, role: 'member' });
    expect(response.status).toBe(201);
    const invitation = (await response.json()) as { id: string };
    const expiresAt = new Date(keel.clock.now().getTime() + 7 * 24 * 60 * 60 * 1000).toISOString();
    expect(invitation).toEqual({ id: expect.any(String), email: email.toLowerCase(), role: 'member', expiresAt });

    const [sent] = client.emailsTo(email);
    const link = new URL(sent!.link);
    expect({ origin: link.origin, path: link.pathname, subject: sent!.subject }).toEqual({ origin: keel.url, path: '/invitations/accept', subject: expect.stringContaining(owner.organization.name) });
    const token = invitationToken(client, email);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const [row] = await centralSql(keel, 'select * from invitations where id = $1', [invitation.id]);
    expect(row).toMatchObject({ email: email.toLowerCase(), token_hash: createHash('sha256').update(token).digest('hex') });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await auditOf(owner.organization, 'invitation.created')).toContainEqual({ actor: admin.userId, details: { invitationId: invitation.id, email: email.toLowerCase(), role: 'member' } });
  });

  it.each(['not-an-email', 'two@@keel.test', ''])('TEN-043 the email "%s" answers 400 VALIDATION_FAILED and invites no one', async (email) => {
    const owner = await client.newOwner();
    await expectError(invite(owner, owner.organization, { email, role: 'member' }), 400, 'VALIDATION_FAILED', ['body.email']);
    expect(await pending(owner, owner.organization)).toEqual([]);
  });
});

describe('TEN-042 listing pending invitations', () => {
  it('TEN-042 any member lists the pending invitations with who invited, and neither accepted nor revoked ones', async () => {
    const { owner, member } = await newTeam();
    const listed = await invited(owner, owner.organization, 'admin');
    const revoked = await invited(owner, owner.organization, 'member');
    expect((await revoke(owner, owner.organization, revoked.id)).status).toBe(204);
    const createdAt = keel.clock.now().toISOString();
    expect(await pending(member, owner.organization)).toEqual([
      { id: listed.id, email: listed.email, role: 'admin', invitedBy: { userId: owner.userId, name: 'Test User' }, expiresAt: listed.expiresAt, createdAt },
    ]);
  });
});

describe('TEN-044 one open invitation per email', () => {
  it('TEN-044 inviting the email of a member, in any letter case, answers 409 MEMBER_ALREADY_EXISTS', async () => {
    const { owner, member } = await newTeam();
    await expectError(invite(owner, owner.organization, { email: member.email.toUpperCase(), role: 'admin' }), 409, 'MEMBER_ALREADY_EXISTS');
    expect(await pending(owner, owner.organization)).toEqual([]);
  });

  it('TEN-044 inviting an email again replaces its open invitation: one listed, the old link dead, the new one working', async () => {
    const owner = await client.newOwner();
    const first = await invited(owner, owner.organization, 'member');
    const oldToken = invitationToken(client, first.email);
    const second = await invited(owner, owner.organization, 'admin', first.email);
    expect((await pending(owner, owner.organization)).map(({ id, role }) => ({ id, role }))).toEqual([{ id: second.id, role: 'admin' }]);
    await expectError(preview(oldToken), 404, 'INVITATION_NOT_FOUND');
    expect(await (await preview(invitationToken(client, first.email))).json()).toMatchObject({ email: first.email, role: 'admin' });
    expect(await auditOf(owner.organization, 'invitation.created')).toContainEqual({ actor: owner.userId, details: { invitationId: second.id, email: first.email, role: 'admin', replacedInvitationId: first.id } });
  });

  it('TEN-044 concurrent invitations of one email leave exactly one open invitation', async () => {
    const owner = await client.newOwner();
    const email = newEmail();
    const answers = await Promise.all(['member', 'admin', 'member'].map((role) => invite(owner, owner.organization, { email, role })));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(await centralSql(keel, 'select id from invitations where organization_id = $1 and accepted_at is null and revoked_at is null', [owner.organization.id])).toHaveLength(1);
    expect(await pending(owner, owner.organization)).toHaveLength(1);
  });
});

describe('TEN-045 revoking an invitation', () => {
  it("TEN-045 an admin revokes it: 204, no longer listed, its link answers 404 INVITATION_NOT_FOUND, invitation.revoked audited", async () => {
    const { owner, admin } = await newTeam();
    const invitation = await invited(owner, owner.organization, 'member');
    const invitee = await client.signUp(invitation.email);
    expect((await revoke(admin, owner.organization, invitation.id)).status).toBe(204);
    expect(await pending(owner, owner.organization)).toEqual([]);
    const token = invitationToken(client, invitation.email);
    await expectError(preview(token), 404, 'INVITATION_NOT_FOUND');
    await expectError(accept(invitee, token), 404, 'INVITATION_NOT_FOUND');
    expect(await auditOf(owner.organization, 'invitation.revoked')).toEqual([{ actor: admin.userId, details: { invitationId: invitation.id, email: invitation.email, role: 'member' } }]);
  });

  it("TEN-045 an unknown id, another organization's invitation, a revoked or an accepted one answers 404 INVITATION_NOT_FOUND", async () => {
    const owner = await client.newOwner();
    const other = await client.newOwner();
    const othersInvitation = await invited(other, other.organization, 'member');
    const revokedOne = await invited(owner, owner.organization, 'member');
    expect((await revoke(owner, owner.organization, revokedOne.id)).status).toBe(204);
    const joined = await addMember(client, owner, 'member');
    const [acceptedOne] = await centralSql<{ id: string }>(keel, 'select id from invitations where accepted_by = $1', [joined.userId]);
    for (const id of [randomUUID(), othersInvitation.id, revokedOne.id, acceptedOne!.id]) {
      await expectError(revoke(owner, owner.organization, id), 404, 'INVITATION_NOT_FOUND');
    }
    expect(await pending(other, other.organization)).toHaveLength(1);
  });
});

describe('TEN-031 TEN-053 roles that may not invite or revoke', () => {
  it.each([
    { name: 'a member inviting', act: (team: Team) => invite(team.member, team.owner.organization, { email: newEmail(), role: 'member' }) },
    { name: 'a member revoking an invitation', act: (team: Team, invitations: Invitations) => revoke(team.member, team.owner.organization, invitations.asMember.id) },
  ])('TEN-031 $name answers 403 FORBIDDEN_ROLE and changes nothing', expectRefused);

  it.each([
    { name: 'an admin inviting as owner', act: (team: Team) => invite(team.admin, team.owner.organization, { email: newEmail(), role: 'owner' }) },
    { name: "an admin revoking an owner's invitation", act: (team: Team, invitations: Invitations) => revoke(team.admin, team.owner.organization, invitations.asOwner.id) },
    {
      name: "an admin replacing an owner's invitation",
      act: (team: Team, invitations: Invitations) => invite(team.admin, team.owner.organization, { email: invitations.asOwner.email, role: 'member' }),
    },
  ])('TEN-031 TEN-053 $name answers 403 FORBIDDEN_ROLE and changes nothing', expectRefused);

  async function expectRefused({ act }: { act: (team: Team, invitations: Invitations) => Promise<Response> }): Promise<void> {
    const team = await newTeam();
    const invitations = { asOwner: await invited(team.owner, team.owner.organization, 'owner'), asMember: await invited(team.owner, team.owner.organization, 'member') };
    const before = await pending(team.owner, team.owner.organization);
    await expectError(act(team, invitations), 403, 'FORBIDDEN_ROLE');
    expect(await pending(team.owner, team.owner.organization)).toEqual(before);
  }

  it('TEN-053 an owner invites as owner, and an owner who joined so may invite as owner too', async () => {
    const owner = await client.newOwner();
    const second = await addMember(client, owner, 'owner');
    expect((await invite(second, owner.organization, { email: newEmail(), role: 'owner' })).status).toBe(201);
  });
});

describe('TEN-046 previewing an invitation link', () => {
  it('TEN-046 a pending invitation previews without a session: organization name, email, role, expiry', async () => {
    const owner = await client.newOwner({ name: 'Preview Co' });
    const invitation = await invited(owner, owner.organization, 'admin');
    const response = await preview(invitationToken(client, invitation.email));
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { organizationName: 'Preview Co', email: invitation.email, role: 'admin', expiresAt: invitation.expiresAt },
    });
  });

  it.each([
    { link: 'an unknown', state: 'unknown', status: 404, code: 'INVITATION_NOT_FOUND' },
    { link: 'a revoked', state: 'revoked', status: 404, code: 'INVITATION_NOT_FOUND' },
    { link: 'an accepted', state: 'accepted', status: 409, code: 'INVITATION_ALREADY_ACCEPTED' },
  ])('TEN-046 $link link answers $status $code, to the preview and to accepting', async ({ state, status, code }) => {
    const owner = await client.newOwner();
    const invitation = await invited(owner, owner.organization, 'member');
    const invitee = await client.signUp(invitation.email);
    const token = state === 'unknown' ? randomUUID() : invitationToken(client, invitation.email);
    if (state === 'revoked') expect((await revoke(owner, owner.organization, invitation.id)).status).toBe(204);
    if (state === 'accepted') expect((await accept(invitee, token)).status).toBe(200);
    await expectError(preview(token), status, code);
    await expectError(accept(invitee, token), status, code);
  });

  it("TEN-046 TEN-042 an invitation expires 7 days after it was made, by central's clock: then 410 INVITATION_EXPIRED and no longer listed", async () => {
    const owner = await client.newOwner();
    const invitation = await invited(owner, owner.organization, 'member');
    const invitee = await client.signUp(invitation.email);
    const token = invitationToken(client, invitation.email);
    keel.clock.advance(INVITATION_LIFETIME_MS - 1);
    expect((await preview(token)).status).toBe(200);
    expect(await pending(owner, owner.organization)).toHaveLength(1);
    keel.clock.advance(1);
    await expectError(preview(token), 410, 'INVITATION_EXPIRED');
    await expectError(accept(invitee, token), 410, 'INVITATION_EXPIRED');
    expect(await pending(owner, owner.organization)).toEqual([]);
    expect(await client.myOrganizations(invitee.cookie)).toEqual([]);
  });
});

describe('TEN-047 accepting an invitation', () => {
  it('TEN-047 an existing account invited in other letter case accepts: a member with the invited role, the organization answered, invitation.accepted audited', async () => {
    const owner = await client.newOwner();
    const existing = await client.signUp();
    const response = await invite(owner, owner.organization, { email: existing.email.toUpperCase(), role: 'admin' });
    const { id } = (await response.json()) as { id: string };
    const accepted = await accept(existing, invitationToken(client, existing.email));
    expect({ status: accepted.status, body: await accepted.json() }).toEqual({ status: 200, body: { ...owner.organization, role: 'admin' } });
    expect(await client.myOrganizations(existing.cookie)).toEqual([{ ...owner.organization, role: 'admin' }]);
    expect(await auditOf(owner.organization, 'invitation.accepted')).toEqual([{ actor: existing.userId, details: { invitationId: id, email: existing.email, role: 'admin' } }]);
  });

  it('TEN-047 another account gets 403 INVITATION_EMAIL_MISMATCH and nothing changes', async () => {
    const owner = await client.newOwner();
    const invitation = await invited(owner, owner.organization, 'member');
    const someoneElse = await client.signUp();
    await expectError(accept(someoneElse, invitationToken(client, invitation.email)), 403, 'INVITATION_EMAIL_MISMATCH');
    expect(await client.myOrganizations(someoneElse.cookie)).toEqual([]);
    expect((await pending(owner, owner.organization)).map(({ id }) => id)).toEqual([invitation.id]);
  });

  it("TEN-047 accepting needs a session (401 AUTH_SESSION_MISSING) sent from Keel's origin (403 AUTH_ORIGIN_REFUSED)", async () => {
    const owner = await client.newOwner();
    const invitation = await invited(owner, owner.organization, 'member');
    const invitee = await client.signUp(invitation.email);
    const body = { token: invitationToken(client, invitation.email) };
    await expectError(client.central('POST', '/invitations/accept', { body }), 401, 'AUTH_SESSION_MISSING');
    await expectError(client.central('POST', '/invitations/accept', { cookie: invitee.cookie, body, origin: 'https://evil.example' }), 403, 'AUTH_ORIGIN_REFUSED');
    expect(await pending(owner, owner.organization)).toHaveLength(1);
  });

  it('TEN-047 TEN-030 invited, a new user signs up with the invited email and accepts; both use the stores of that organization and of no other', async () => {
    const owner = await client.newOwner();
    // Two stores: more than Free allows (SUB-032).
    await upgradePlanInRegion(client, owner, 'pro');
    const elsewhere = await client.newOwner();
    await client.createStoreOnceProvisioned(await client.token(elsewhere, elsewhere.organization.id), 'Elsewhere');
    const ownerToken = await client.token(owner, owner.organization.id);
    await client.createStoreOnceProvisioned(ownerToken, 'Flagship');

    const email = newEmail();
    expect((await invite(owner, owner.organization, { email, role: 'admin' })).status).toBe(201);
    const token = invitationToken(client, email);
    expect(await (await preview(token)).json()).toMatchObject({ organizationName: owner.organization.name, email, role: 'admin' });
    const newcomer = await client.signUp(email);
    expect((await accept(newcomer, token)).status).toBe(200);

    const newcomerToken = await client.token(newcomer, owner.organization.id);
    expect(await client.storeNames(newcomerToken)).toEqual(['Flagship']);
    expect((await client.api(newcomerToken, 'POST', '/stores', { name: 'Outlet' })).status).toBe(201);
    expect((await client.storeNames(ownerToken)).toSorted()).toEqual(['Flagship', 'Outlet']);
    await expectError(client.tokenFor(newcomer.cookie, elsewhere.organization.id), 404, 'ORG_NOT_FOUND');
  });
});

describe('TEN-048 an invitation works once', () => {
  it('TEN-048 concurrent accepts: exactly one succeeds, the others answer 409 INVITATION_ALREADY_ACCEPTED, one membership', async () => {
    const owner = await client.newOwner();
    const invitation = await invited(owner, owner.organization, 'member');
    const invitee = await client.signUp(invitation.email);
    const token = invitationToken(client, invitation.email);
    const answers = await Promise.all(Array.from({ length: 4 }, () => accept(invitee, token)));
    expect(answers.map((answer) => answer.status).toSorted()).toEqual([200, 409, 409, 409]);
    for (const refused of answers.filter((answer) => !answer.ok)) await expectError(refused, 409, 'INVITATION_ALREADY_ACCEPTED');
    expect(await centralSql(keel, 'select role from memberships where organization_id = $1 and user_id = $2', [owner.organization.id, invitee.userId])).toEqual([{ role: 'member' }]);
  });

  it('TEN-048 an account that already is a member answers 409 MEMBER_ALREADY_EXISTS and the invitation stays open', async () => {
    const owner = await client.newOwner();
    const invitation = await invited(owner, owner.organization, 'admin');
    const invitee = await client.signUp(invitation.email);
    // No endpoint makes a member of someone with an open invitation (inviting a member is refused):
    // the membership is made directly, as a change racing the invitation would.
    await centralSql(keel, "insert into memberships (organization_id, user_id, role) values ($1, $2, 'member')", [owner.organization.id, invitee.userId]);
    const token = invitationToken(client, invitation.email);
    await expectError(accept(invitee, token), 409, 'MEMBER_ALREADY_EXISTS');
    expect((await preview(token)).status).toBe(200);
    expect(await client.myOrganizations(invitee.cookie)).toEqual([{ ...owner.organization, role: 'member' }]);
  });
});

describe('TEN-049 accepting verifies the email', () => {
  it("TEN-049 accepting marks the account's email verified", async () => {
    const owner = await client.newOwner();
    const invitation = await invited(owner, owner.organization, 'member');
    const invitee = await client.signUp(invitation.email);
    expect(await emailVerified(invitee)).toBe(false);
    expect((await accept(invitee, invitationToken(client, invitation.email))).status).toBe(200);
    expect(await emailVerified(invitee)).toBe(true);
  });
});

interface Team {
  owner: Owner;
  admin: User;
  member: User;
}

interface CreatedInvitation {
  id: string;
  email: string;
  role: string;
  expiresAt: string;
}

interface Invitations {
  asOwner: CreatedInvitation;
  asMember: CreatedInvitation;
}

/** An organization with an owner, an admin and a member. */
async function newTeam(): Promise<Team> {
  const owner = await client.newOwner();
  return { owner, admin: await addMember(client, owner, 'admin'), member: await addMember(client, owner, 'member') };
}

function invite(by: User, organization: Organization, body: { email: string; role: string }): Promise<Response> {
  return client.central('POST', `/organizations/${organization.id}/invitations`, { cookie: by.cookie, body });
}

/** Invites `email` (default: a new one) with `role`, asserting central creates the invitation. */
async function invited(by: User, organization: Organization, role: string, email = newEmail()): Promise<CreatedInvitation> {
  const response = await invite(by, organization, { email, role });
  expect(response.status).toBe(201);
  return (await response.json()) as CreatedInvitation;
}

function revoke(by: User, organization: Organization, invitationId: string): Promise<Response> {
  return client.central('DELETE', `/organizations/${organization.id}/invitations/${invitationId}`, { cookie: by.cookie });
}

async function pending(reader: User, organization: Organization): Promise<(CreatedInvitation & { invitedBy: unknown; createdAt: string })[]> {
  const response = await client.central('GET', `/organizations/${organization.id}/invitations`, { cookie: reader.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: (CreatedInvitation & { invitedBy: unknown; createdAt: string })[] }).items;
}

function preview(token: string): Promise<Response> {
  return client.central('GET', `/invitations/preview?token=${encodeURIComponent(token)}`);
}

function accept(user: User, token: string): Promise<Response> {
  return client.central('POST', '/invitations/accept', { cookie: user.cookie, body: { token } });
}

async function emailVerified(user: User): Promise<boolean> {
  const [row] = await centralSql<{ email_verified: boolean }>(keel, 'select email_verified from users where id = $1', [user.userId]);
  return row!.email_verified;
}

/** The organization's audit entries of one action: who acted, with what details. */
function auditOf(organization: Organization, action: string) {
  return centralSql(keel, 'select actor_user_id as actor, details from audit_events where organization_id = $1 and action = $2 order by occurred_at', [organization.id, action]);
}
