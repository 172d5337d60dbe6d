import type { FastifyRequest } from 'fastify';
import type { Database, TenantRole } from '@keel/kernel';
import { ForbiddenRoleError } from '../contracts/role-errors.ts';
import { roleAtLeast } from '../contracts/roles.ts';
import { findMembership } from './create-organization.ts';
import { OrgNotFoundError } from './errors.ts';
import { requireSession, type SessionDeps } from './session.ts';

/**
 * The signed-in user of a request about one organization, with their role there. Not a member:
 * 404 ORG_NOT_FOUND (whether or not the organization exists); a role below `minimum`: 403 FORBIDDEN_ROLE.
 */
export async function requireMember(
  request: FastifyRequest,
  deps: SessionDeps & { database: Database },
  organizationId: string,
  minimum: TenantRole,
): Promise<{ userId: string; role: TenantRole; region: string }> {
  const { userId } = await requireSession(request, deps);
  const membership = await findMembership(deps.database, { userId, organizationId });
  if (!membership) throw new OrgNotFoundError();
  if (!roleAtLeast(membership.role, minimum)) throw new ForbiddenRoleError();
  return { userId, ...membership };
}
