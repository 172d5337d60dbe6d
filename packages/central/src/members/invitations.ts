import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Clock, Database, TenantRole } from '@keel/kernel';
import { recordAudit } from '../audit/record-audit.ts';
import { ForbiddenRoleError } from '../contracts/role-errors.ts';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import type { AuthRateLimiter } from '../identity/auth-rate-limiter.ts';
import type { Mailer } from '../email/mailer.ts';
import { users } from '../identity/schema.ts';
import { memberships, organizations } from '../organizations/schema.ts';
import type { OrganizationDto } from '../organizations/schemas.ts';
import { requireRoomFor } from '../subscriptions/limits.ts';
import { countMembers } from '../subscriptions/usage.ts';
import {
  InvitationAlreadyAcceptedError,
  InvitationEmailMismatchError,
  InvitationExpiredError,
  InvitationNotFoundError,
  MemberAlreadyExistsError,
} from './errors.ts';
import { lockOrganization, lockOrganizationAsMember, roleIn, toOrganizationDto } from './organization-lock.ts';
import { invitations } from './schema.ts';
import type { CreatedInvitationDto, CreateInvitationBody, InvitationDto, InvitationPreviewDto } from './schemas.ts';

/**
 * Invitations: an admin invites an email with a role; the link mailed there carries a random
 * token of which central keeps only the SHA-256; the account with that email accepts it once and
 * becomes a member. An invitation is open until accepted or revoked, pending while open and not
 * expired (by central's clock).
 */

/** How long an invitation link works. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const TOKEN_BYTES = 32;
/** The web app's page that shows the invitation (`GET /api/central/invitations/preview`) and accepts it. */
const ACCEPT_PAGE_PATH = '/invitations/accept';

type InvitationRow = typeof invitations.$inferSelect;

function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Neither accepted nor revoked (expired ones included: they hold the one open slot per email until replaced). */
function isOpen() {
  return and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
}

export async function listPendingInvitations(database: Database, clock: Clock, organizationId: string): Promise<InvitationDto[]> {
  const rows = await database
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      inviterId: users.id,
      inviterName: users.name,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.organizationId, organizationId), isOpen(), gt(invitations.expiresAt, clock.now())))
    .orderBy(asc(invitations.createdAt), asc(invitations.id));
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: { userId: row.inviterId, name: row.inviterName },
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  }));
}

export interface InvitationDeps {
  database: Database;
  clock: Clock;
  mailer: Mailer;
  limiter: Pick<AuthRateLimiter, 'admitInvitation'>;
  /** Its origin is where the web app serves the accept page. */
  publicUrl: () => string;
}

/**
 * Invites `email` with `role`. An email that already has a member is refused; an open invitation
 * for the same email is replaced (revoked, and the new one inserted, in the transaction that also
 * records the audit entry). The email is sent once that transaction has committed.
 */
export async function createInvitation(deps: InvitationDeps, input: { organizationId: string; actorId: string; body: CreateInvitationBody }): Promise<CreatedInvitationDto> {
  const { organizationId, actorId, body } = input;
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const { invitation, organizationName } = await deps.database.transaction(async (tx) => {
    const actor = await lockOrganizationAsMember(tx, { organizationId, userId: actorId, minimum: 'admin' });
    requireOwnerFor(actor.role, body.role);
    if (await hasMemberWithEmail(tx, organizationId, body.email)) throw new MemberAlreadyExistsError();
    await deps.limiter.admitInvitation({ organizationId, email: body.email });
    const now = deps.clock.now();
    const [replaced] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.organizationId, organizationId), eq(invitations.email, body.email), isOpen()));
    if (replaced) {
      // Replacing an invitation revokes it: an owner's invitation only an owner may revoke.
      requireOwnerFor(actor.role, replaced.role);
      await tx.update(invitations).set({ revokedAt: now }).where(eq(invitations.id, replaced.id));
    }
    const [created] = await tx
      .insert(invitations)
      .values({ organizationId, email: body.email, role: body.role, tokenHash: hashInvitationToken(token), invitedBy: actorId, expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS), createdAt: now })
      .returning();
    const details = { invitationId: created!.id, email: body.email, role: body.role, ...(replaced ? { replacedInvitationId: replaced.id } : {}) };
    await recordAudit(tx, { organizationId, actor: { userId: actorId }, action: 'invitation.created', details, at: now });
    return { invitation: created!, organizationName: actor.organization.name };
  });
  // After the commit, so no email goes out for an invitation that does not exist. If sending
  // fails, the request fails (reported) but the invitation exists: inviting the same email again
  // replaces it and sends a new link.
  const link = new URL(ACCEPT_PAGE_PATH, new URL(deps.publicUrl()).origin);
  link.searchParams.set('token', token);
  await deps.mailer.send({
    to: invitation.email,
    subject: `You are invited to join ${organizationName} on Keel`,
    text: `You are invited to join ${organizationName} on Keel as ${invitation.role}. Open this link to accept (it works until ${invitation.expiresAt.toISOString()}): ${link.href}`,
    link: link.href,
  });
  return { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() };
}

/** Revokes an open invitation of the organization; an owner's invitation only an owner may revoke. */
export async function revokeInvitation(database: Database, clock: Clock, input: { organizationId: string; actorId: string; invitationId: string }): Promise<void> {
  const { organizationId, actorId, invitationId } = input;
  await database.transaction(async (tx) => {
    const actor = await lockOrganizationAsMember(tx, { organizationId, userId: actorId, minimum: 'admin' });
    const [invitation] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, organizationId), isOpen()));
    if (!invitation) throw new InvitationNotFoundError();
    requireOwnerFor(actor.role, invitation.role);
    const now = clock.now();
    await tx.update(invitations).set({ revokedAt: now }).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, { organizationId, actor: { userId: actorId }, action: 'invitation.revoked', details: { invitationId, email: invitation.email, role: invitation.role }, at: now });
  });
}

/** What the accept page shows before the visitor signs in or up; the token is the only credential. */
export async function previewInvitation(database: Database, clock: Clock, token: string): Promise<InvitationPreviewDto> {
  const [row] = await database
    .select({ invitation: invitations, organizationName: organizations.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  const invitation = requirePending(row?.invitation, clock.now());
  return { organizationName: row!.organizationName, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() };
}

/**
 * The signed-in account accepts: its email must be the invited one. In one transaction, under the
 * organization's lock: the invitation is marked accepted by a conditional UPDATE (so it works once,
 * whatever runs concurrently), the plan's `members` limit checked (402 PLAN_LIMIT_REACHED, the
 * invitation staying open), the membership inserted, the account's email marked verified — the
 * link mailed to that address proves it — and the audit entry recorded.
 */
export async function acceptInvitation(database: Database, clock: Clock, input: { userId: string; token: string }): Promise<OrganizationDto> {
  const [found] = await database.select().from(invitations).where(eq(invitations.tokenHash, hashInvitationToken(input.token)));
  const invitation = requirePending(found, clock.now());
  const [user] = await database.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
  if (user?.email.toLowerCase() !== invitation.email) throw new InvitationEmailMismatchError();
  return database.transaction(async (tx) => {
    const organization = await lockOrganization(tx, invitation.organizationId);
    if (!organization) throw new InvitationNotFoundError();
    const now = clock.now();
    const [accepted] = await tx
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: input.userId })
      .where(and(eq(invitations.id, invitation.id), isOpen(), gt(invitations.expiresAt, now)))
      .returning();
    if (!accepted) {
      const [current] = await tx.select().from(invitations).where(eq(invitations.id, invitation.id));
      requirePending(current, now);
      throw new InvitationNotFoundError();
    }
    // Throwing rolls the acceptance back: the invitation stays open.
    if (await roleIn(tx, organization.id, input.userId)) throw new MemberAlreadyExistsError();
    // Counted under the organization's lock: concurrent accepts never exceed the plan's members.
    await requireRoomFor(tx, organization.id, 'members', await countMembers(tx, organization.id));
    await tx.insert(memberships).values({ organizationId: organization.id, userId: input.userId, role: accepted.role });
    await tx.update(users).set({ emailVerified: true }).where(eq(users.id, input.userId));
    await recordAudit(tx, { organizationId: organization.id, actor: { userId: input.userId }, action: 'invitation.accepted', details: { invitationId: accepted.id, email: accepted.email, role: accepted.role }, at: now });
    return toOrganizationDto(organization, accepted.role);
  });
}

/** Unknown or revoked: 404; accepted: 409; expired: 410. */
function requirePending(invitation: InvitationRow | undefined, now: Date): InvitationRow {
  if (!invitation || invitation.revokedAt) throw new InvitationNotFoundError();
  if (invitation.acceptedAt) throw new InvitationAlreadyAcceptedError();
  if (invitation.expiresAt.getTime() <= now.getTime()) throw new InvitationExpiredError();
  return invitation;
}

/** Inviting as `owner`, or revoking an owner's invitation, is for owners only (the role table). */
function requireOwnerFor(actorRole: TenantRole, invitedRole: TenantRole): void {
  if (invitedRole === 'owner' && actorRole !== 'owner') throw new ForbiddenRoleError();
}

async function hasMemberWithEmail(tx: CentralTransaction, organizationId: string, email: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), sql`lower(${users.email}) = ${email}`));
  return row !== undefined;
}
