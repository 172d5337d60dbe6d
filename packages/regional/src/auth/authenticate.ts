import type { FastifyRequest } from 'fastify';
import { AuthTokenInvalidError, AuthTokenMissingError, AuthTokenRevokedError, type AccessTokenVerifier } from '@keel/central/contracts';
import type { RevocationCheck } from './token-revocations.ts';

/**
 * Tenant data is reached only with `Authorization: Bearer <token>`; cookies never count here, so
 * CSRF does not apply. The verified claims become the request's tenant, user and role, unless
 * central has revoked the token since it was issued.
 */
export function createAuthenticate(verify: AccessTokenVerifier, isRevoked: RevocationCheck) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw new AuthTokenMissingError();
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header);
    if (!match) throw new AuthTokenInvalidError();
    const claims = await verify(match[1]!);
    request.keelContext.tenantId = claims.tenant_id;
    if (await isRevoked(claims)) throw new AuthTokenRevokedError();
    request.keelContext.userId = claims.sub;
    request.keelContext.role = claims.role;
  };
}
