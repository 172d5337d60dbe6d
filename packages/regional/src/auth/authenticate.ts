import type { FastifyRequest } from 'fastify';
import { AuthTokenInvalidError, AuthTokenMissingError, AuthTokenRevokedError, SubscriptionEndedError, type AccessTokenVerifier } from '@keel/central/contracts';
import type { RequestVerdictCheck } from './token-revocations.ts';

/**
 * Tenant data is reached only with `Authorization: Bearer <token>`; cookies never count here, so
 * CSRF does not apply. The verified claims become the request's tenant, user and role, unless
 * central has revoked the token since it was issued (401), or the tenant's subscription has ended
 * (402 SUBSCRIPTION_ENDED) — both known from one statement.
 */
export function createAuthenticate(verify: AccessTokenVerifier, verdictOf: RequestVerdictCheck) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw new AuthTokenMissingError();
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header);
    if (!match) throw new AuthTokenInvalidError();
    const claims = await verify(match[1]!);
    request.keelContext.tenantId = claims.tenant_id;
    const verdict = await verdictOf(claims);
    if (verdict === 'revoked') throw new AuthTokenRevokedError();
    request.keelContext.userId = claims.sub;
    request.keelContext.role = claims.role;
    if (verdict === 'ended') throw new SubscriptionEndedError();
  };
}
