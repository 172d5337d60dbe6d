import type { Clock, Database, HttpApp } from '@keel/kernel';
import { createOrganization, listMyOrganizations } from './create-organization.ts';
import { renameOrganization } from './rename-organization.ts';
import { createOrganizationBody, organizationIdParams, organizationList, organizationSchema, renameOrganizationBody } from './schemas.ts';
import { requireSession, type SessionDeps } from './session.ts';

const tags = ['organizations'];

/** `/api/central/organizations`: a signed-in user creates organizations (tenants) and lists theirs; admins rename one. */
export function organizationRoutes(app: HttpApp, deps: SessionDeps & { database: Database; homeRegion: string; clock: Clock }): void {
  app.post('/organizations', { schema: { tags, body: createOrganizationBody, response: { 201: organizationSchema } } }, async (request, reply) => {
    const { userId } = await requireSession(request, deps);
    const organization = await createOrganization(deps.database, { userId, homeRegion: deps.homeRegion, body: request.body, now: deps.clock.now() });
    return reply.status(201).send(organization);
  });

  app.get('/organizations', { schema: { tags, response: { 200: organizationList } } }, async (request) => {
    const { userId } = await requireSession(request, deps);
    return { items: await listMyOrganizations(deps.database, userId) };
  });

  app.patch(
    '/organizations/:organizationId',
    { schema: { tags, params: organizationIdParams, body: renameOrganizationBody, response: { 200: organizationSchema } } },
    async (request) => {
      const { userId } = await requireSession(request, deps);
      return renameOrganization(deps.database, deps.clock, { organizationId: request.params.organizationId, userId, name: request.body.name });
    },
  );
}
