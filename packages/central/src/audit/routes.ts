import type { HttpApp } from '@keel/kernel';
import type { CentralDeps } from '../central-deps.ts';
import { requireMember } from '../organizations/require-member.ts';
import { listAudit } from './list-audit.ts';
import { auditPage, auditParams, auditQuery } from './schemas.ts';

/**
 * `GET /api/central/organizations/:organizationId/audit?limit&cursor`: the organization's audit
 * log, for its owners only (an admin or member: 403 FORBIDDEN_ROLE; not a member: 404 ORG_NOT_FOUND).
 */
export function auditRoutes(app: HttpApp, deps: CentralDeps): void {
  app.get(
    '/organizations/:organizationId/audit',
    { schema: { tags: ['audit'], params: auditParams, querystring: auditQuery, response: { 200: auditPage } } },
    async (request) => {
      const { organizationId } = request.params;
      await requireMember(request, deps, organizationId, 'owner');
      return listAudit(deps.database, { organizationId, limit: request.query.limit, after: request.query.cursor });
    },
  );
}
