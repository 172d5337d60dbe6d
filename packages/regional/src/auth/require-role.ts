import type { FastifyRequest } from 'fastify';
import type { TenantRole } from '@keel/kernel';
import { ForbiddenRoleError, roleAtLeast } from '@keel/central/contracts';

/**
 * A preHandler that lets through the given role and the roles above it (owner ⊃ admin ⊃ member).
 * It carries `minimumRole`, which the API reference reads to document the 403.
 */
export function requireRole(minimum: TenantRole) {
  return Object.assign(
    async function checkRole(request: FastifyRequest): Promise<void> {
      if (!roleAtLeast(request.keelContext.role, minimum)) throw new ForbiddenRoleError();
    },
    { minimumRole: minimum },
  );
}
