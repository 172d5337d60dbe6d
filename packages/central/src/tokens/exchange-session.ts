import type { FastifyRequest } from 'fastify';
import { ValidationFailedError, type Clock, type Database } from '@keel/kernel';
import { ACCESS_TOKEN_MAX_LIFETIME_SECONDS } from '../contracts/access-token.ts';
import { findMembershipLocked } from '../organizations/create-organization.ts';
import { OrgNotFoundError } from '../organizations/errors.ts';
import { requireSession, type SessionDeps } from '../organizations/session.ts';
import type { SigningKeyStore } from '../signing-keys/signing-key-store.ts';
import { signAccessToken } from './sign-access-token.ts';
import type { TokenBody, TokenDto } from './schemas.ts';

export type ExchangeDeps = SessionDeps & { database: Database; signingKeys: SigningKeyStore; clock: Clock };

/**
 * A signed-in member's token for `tenantId`, with the role the membership has now. A tenant the
 * user is not a member of answers 404 ORG_NOT_FOUND, whether or not it exists.
 */
export async function exchangeSession(request: FastifyRequest, body: TokenBody, deps: ExchangeDeps): Promise<TokenDto> {
  const { userId } = await requireSession(request, deps);
  const tenantId = body?.tenantId;
  if (tenantId === undefined) throw new ValidationFailedError({ details: [{ path: 'body.tenantId', rule: 'invalid_type' }] });
  // Fetched before the transaction, which holds the organization's row: signing takes no second connection.
  const signingKey = await deps.signingKeys.signingKey();
  return deps.database.transaction(async (tx) => {
    const membership = await findMembershipLocked(tx, { userId, organizationId: tenantId });
    if (!membership) throw new OrgNotFoundError();
    const { token, expiresAt } = await signAccessToken({
      keys: { signingKey: async () => signingKey },
      clock: deps.clock,
      claims: { sub: userId, tenantId, role: membership.role, region: membership.region },
      lifetimeSeconds: ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
    });
    return { token, expiresAt: expiresAt.toISOString(), region: membership.region };
  });
}
