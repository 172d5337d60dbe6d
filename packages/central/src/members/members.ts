import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Clock, Database, TenantRole } from '@keel/kernel';
import { recordAudit } from '../audit/record-audit.ts';
import { CENTRAL_EVENT_TYPES, type TokensRevokedPayload } from '../contracts/feed.ts';
import { ForbiddenRoleError } from '../contracts/role-errors.ts';
import { appendToFeed, type CentralTransaction } from '../feed/append-to-feed.ts';
import { users } from '../identity/schema.ts';
import { memberships } from '../organizations/schema.ts';
import { MemberNotFoundError, OrgLastOwnerError } from './errors.ts';
import { lockOrganizationAsMember, ownerCount, type OrganizationRow } from './organization-lock.ts';
import type { MemberDto } from './schemas.ts';

/**
 * Members of an organization: listing them, changing a role, removing someone, leaving. Each
 * change is one transaction under the organization's lock (organization-lock.ts) with its
 * `tokens.revoked` feed event — so the region stops honouring tokens signed with the old role at
 * once instead of when they expire — and its audit entry.
 */

interface MemberChange {
  organizationId: string;
  /** The signed-in user making the change. */
  actorId: string;
}

/** Every member with name, email, role and when they joined, in one query. */
export async function listMembers(database: Database | CentralTransaction, organizationId: string, userIds?: readonly string[]): Promise<MemberDto[]> {
  const rows = await database
    .select({ userId: memberships.userId, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), userIds ? inArray(memberships.userId, [...userIds]) : undefined))
    .orderBy(asc(memberships.createdAt), asc(memberships.userId));
  return rows.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() }));
}

/** Granting the owner role, or taking it away, is for owners only (the role table). */
function requireOwnerWhenOwnerRoleIsInvolved(actorRole: TenantRole, ...roles: TenantRole[]): void {
  if (roles.includes('owner') && actorRole !== 'owner') throw new ForbiddenRoleError();
}

/** Refuses to leave the organization without an owner when `member` stops being one. */
async function requireAnotherOwner(tx: CentralTransaction, organizationId: string, member: Pick<MemberDto, 'role'>): Promise<void> {
  if (member.role === 'owner' && (await ownerCount(tx, organizationId)) <= 1) throw new OrgLastOwnerError();
}

async function findMember(tx: CentralTransaction, organizationId: string, userId: string): Promise<MemberDto> {
  const [member] = await listMembers(tx, organizationId, [userId]);
  if (!member) throw new MemberNotFoundError();
  return member;
}

async function revokeTokens(tx: CentralTransaction, organization: OrganizationRow, input: { userId: string; at: Date; reason: TokensRevokedPayload['reason'] }): Promise<void> {
  const payload: TokensRevokedPayload = { tenantId: organization.id, subject: input.userId, revokedAt: input.at.toISOString(), reason: input.reason };
  await appendToFeed(tx, [{ type: CENTRAL_EVENT_TYPES.tokensRevoked, tenantId: organization.id, region: organization.homeRegion, payload }]);
}

/** Admins change roles between `member` and `admin`; only owners make or unmake owners. The same role changes nothing. */
export async function changeMemberRole(database: Database, clock: Clock, input: MemberChange & { userId: string; role: TenantRole }): Promise<MemberDto> {
  return database.transaction(async (tx) => {
    const actor = await lockOrganizationAsMember(tx, { organizationId: input.organizationId, userId: input.actorId, minimum: 'admin' });
    const member = await findMember(tx, input.organizationId, input.userId);
    requireOwnerWhenOwnerRoleIsInvolved(actor.role, member.role, input.role);
    if (member.role === input.role) return member;
    await requireAnotherOwner(tx, input.organizationId, member);
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.organizationId, input.organizationId), eq(memberships.userId, input.userId)));
    const at = clock.now();
    await revokeTokens(tx, actor.organization, { userId: input.userId, at, reason: 'member.role_changed' });
    await recordAudit(tx, { organizationId: input.organizationId, actor: { userId: input.actorId }, action: 'member.role_changed', details: { userId: input.userId, from: member.role, to: input.role }, at });
    return { ...member, role: input.role };
  });
}

/** Admins remove members and admins; only owners remove an owner; never the last owner. */
export async function removeMember(database: Database, clock: Clock, input: MemberChange & { userId: string }): Promise<void> {
  await database.transaction(async (tx) => {
    const actor = await lockOrganizationAsMember(tx, { organizationId: input.organizationId, userId: input.actorId, minimum: 'admin' });
    const member = await findMember(tx, input.organizationId, input.userId);
    requireOwnerWhenOwnerRoleIsInvolved(actor.role, member.role);
    await requireAnotherOwner(tx, input.organizationId, member);
    await deleteMembership(tx, actor.organization, { userId: input.userId, at: clock.now(), audit: { actorId: input.actorId, action: 'member.removed', role: member.role } });
  });
}

/** Any member may leave, except the last owner. */
export async function leaveOrganization(database: Database, clock: Clock, input: MemberChange): Promise<void> {
  await database.transaction(async (tx) => {
    const actor = await lockOrganizationAsMember(tx, { organizationId: input.organizationId, userId: input.actorId, minimum: 'member' });
    await requireAnotherOwner(tx, input.organizationId, actor);
    await deleteMembership(tx, actor.organization, { userId: input.actorId, at: clock.now(), audit: { actorId: input.actorId, action: 'member.left', role: actor.role } });
  });
}

async function deleteMembership(
  tx: CentralTransaction,
  organization: OrganizationRow,
  input: { userId: string; at: Date; audit: { actorId: string; action: 'member.removed' | 'member.left'; role: TenantRole } },
): Promise<void> {
  await tx.delete(memberships).where(and(eq(memberships.organizationId, organization.id), eq(memberships.userId, input.userId)));
  await revokeTokens(tx, organization, { userId: input.userId, at: input.at, reason: 'member.removed' });
  await recordAudit(tx, { organizationId: organization.id, actor: { userId: input.audit.actorId }, action: input.audit.action, details: { userId: input.userId, role: input.audit.role }, at: input.at });
}
