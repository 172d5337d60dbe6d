import type { FastifyRequest } from 'fastify';
import type { TenantRole } from '@keel/kernel';
import { ForbiddenRoleError } from './errors.ts';

const rank: Record<TenantRole, number> = { member: 0, admin: 1, owner: 2 };

/** A preHandler that lets through the given role and the roles above it (owner ⊃ admin ⊃ member). */
export function requireRole(minimum: TenantRole) {
  return async function checkRole(request: FastifyRequest): Promise<void> {
    const role = request.keelContext.role;
    if (role === undefined || rank[role] < rank[minimum]) throw new ForbiddenRoleError();
  };
}
