import { z } from 'zod';
import type { Clock, Database, HttpApp } from '@keel/kernel';
import { ACCESS_TOKEN_MAX_LIFETIME_SECONDS } from '../contracts/access-token.ts';
import { findMembership } from '../organizations/create-organization.ts';
import { OrgNotFoundError } from '../organizations/errors.ts';
import { requireSession, type SessionDeps } from '../organizations/session.ts';
import type { SigningKeyStore } from '../signing-keys/signing-key-store.ts';
import { signAccessToken } from './sign-access-token.ts';

const tokenBody = z.strictObject({ tenantId: z.uuid() });
const tokenSchema = z.object({ token: z.string(), expiresAt: z.iso.datetime(), region: z.string() });

/**
 * `POST /api/central/tokens {tenantId}`: a signed-in member gets a short-lived access token for
 * one tenant, with the role the membership has now. A tenant the user is not a member of answers
 * 404 ORG_NOT_FOUND, whether or not it exists.
 */
export function tokenRoutes(app: HttpApp, deps: SessionDeps & { database: Database; signingKeys: SigningKeyStore; clock: Clock }): void {
  app.post('/tokens', { schema: { tags: ['tokens'], body: tokenBody, response: { 200: tokenSchema } } }, async (request) => {
    const { userId } = await requireSession(request, deps);
    const { tenantId } = request.body;
    const membership = await findMembership(deps.database, { userId, organizationId: tenantId });
    if (!membership) throw new OrgNotFoundError();
    const { token, expiresAt } = await signAccessToken({
      keys: deps.signingKeys,
      clock: deps.clock,
      claims: { sub: userId, tenantId, role: membership.role, region: membership.region },
      lifetimeSeconds: ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
    });
    return { token, expiresAt: expiresAt.toISOString(), region: membership.region };
  });
}
