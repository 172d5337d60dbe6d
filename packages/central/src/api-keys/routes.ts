import { z } from 'zod';
import type { HttpApp } from '@keel/kernel';
import type { CentralDeps } from '../central-deps.ts';
import { requireMember } from '../organizations/require-member.ts';
import { createApiKey } from './create-api-key.ts';
import { listApiKeys } from './list-api-keys.ts';
import { revokeApiKey } from './revoke-api-key.ts';
import { apiKeyList, apiKeyParams, createApiKeyBody, createdApiKeySchema, organizationParams } from './schemas.ts';

const tags = ['api-keys'];
const path = '/organizations/:organizationId/api-keys';

/**
 * `/api/central/organizations/:organizationId/api-keys`: admins and owners create, list and revoke
 * the organization's API keys (the role table in specs/tenancy.md). A key is exchanged for access
 * tokens at `POST /api/central/tokens` (tokens/routes.ts).
 */
export function apiKeyRoutes(app: HttpApp, deps: CentralDeps): void {
  app.post(path, { schema: { tags, params: organizationParams, body: createApiKeyBody, response: { 201: createdApiKeySchema } } }, async (request, reply) => {
    const { organizationId } = request.params;
    const { userId } = await requireMember(request, deps, organizationId, 'admin');
    const created = await createApiKey(deps.database, { organizationId, userId, body: request.body, now: deps.clock.now() });
    return reply.status(201).send(created);
  });

  app.get(path, { schema: { tags, params: organizationParams, response: { 200: apiKeyList } } }, async (request) => {
    const { organizationId } = request.params;
    await requireMember(request, deps, organizationId, 'admin');
    return { items: await listApiKeys(deps.database, organizationId) };
  });

  app.delete(`${path}/:apiKeyId`, { schema: { tags, params: apiKeyParams, response: { 204: z.null() } } }, async (request, reply) => {
    const { organizationId, apiKeyId } = request.params;
    const { userId, region } = await requireMember(request, deps, organizationId, 'admin');
    await revokeApiKey(deps.database, deps.clock, { organizationId, region, apiKeyId, userId });
    return reply.status(204).send(null);
  });
}
