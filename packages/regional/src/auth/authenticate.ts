import type { FastifyRequest } from 'fastify';
import { AuthTokenInvalidError, AuthTokenMissingError, type AccessTokenVerifier } from '@keel/central/contracts';

/**
 * Tenant data is reached only with `Authorization: Bearer <token>`; cookies never count here, so
 * CSRF does not apply. The verified claims become the request's tenant, user and role.
 */
export function createAuthenticate(verify: AccessTokenVerifier) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw new AuthTokenMissingError();
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header);
    if (!match) throw new AuthTokenInvalidError();
    const claims = await verify(match[1]!);
    request.keelContext.userId = claims.sub;
    request.keelContext.tenantId = claims.tenant_id;
    request.keelContext.role = claims.role;
  };
}
