import { and, eq, sql } from 'drizzle-orm';
import type { TenantRole } from '@keel/kernel';
import { ForbiddenRoleError } from '../contracts/role-errors.ts';
import { roleAtLeast } from '../contracts/roles.ts';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import { OrgNotFoundError } from '../organizations/errors.ts';
import { memberships, organizations } from '../organizations/schema.ts';
import type { OrganizationDto } from '../organizations/schemas.ts';
import { toDto } from '../organizations/create-organization.ts';

export type OrganizationRow = typeof organizations.$inferSelect;

/**
 * Locks the organization's row (`FOR UPDATE`) for the rest of the transaction: every change of an
 * organization's members, invitations or name takes this lock first, so such changes run one after
 * the other and each sees what the previous one committed (two owners removing each other cannot
 * both succeed). Undefined when the organization does not exist.
 */
export async function lockOrganization(tx: CentralTransaction, organizationId: string): Promise<OrganizationRow | undefined> {
  const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId)).for('update');
  return organization;
}

/**
 * Locks the organization, then reads the acting user's role there — in a statement of its own, so
 * it sees what the change that held the lock before committed. Not a member: 404 ORG_NOT_FOUND
 * (whether or not the organization exists); a role below `minimum`: 403 FORBIDDEN_ROLE.
 */
export async function lockOrganizationAsMember(
  tx: CentralTransaction,
  input: { organizationId: string; userId: string; minimum: TenantRole },
): Promise<{ organization: OrganizationRow; role: TenantRole }> {
  const organization = await lockOrganization(tx, input.organizationId);
  const role = organization && (await roleIn(tx, input.organizationId, input.userId));
  if (!organization || !role) throw new OrgNotFoundError();
  if (!roleAtLeast(role, input.minimum)) throw new ForbiddenRoleError();
  return { organization, role };
}

export async function roleIn(tx: CentralTransaction, organizationId: string, userId: string): Promise<TenantRole | undefined> {
  const [membership] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return membership?.role;
}

export async function ownerCount(tx: CentralTransaction, organizationId: string): Promise<number> {
  const [row] = await tx
    .select({ owners: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'owner')));
  return row?.owners ?? 0;
}

/** The organization as `GET /api/central/organizations` lists it, with the user's role. */
export function toOrganizationDto(organization: OrganizationRow, role: TenantRole): OrganizationDto {
  return toDto({ ...organization, role });
}
