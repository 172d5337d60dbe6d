import { ACCESS_TOKEN_MAX_LIFETIME_SECONDS } from '../contracts/access-token.ts';
import { apiKeySubject } from '../contracts/feed.ts';
import { API_KEY_PREFIX } from '../api-keys/api-key-secret.ts';
import { AuthApiKeyInvalidError } from '../api-keys/errors.ts';
import { useApiKey } from '../api-keys/use-api-key.ts';
import { OrgNotFoundError } from '../organizations/errors.ts';
import type { ExchangeDeps } from './exchange-session.ts';
import { signAccessToken } from './sign-access-token.ts';
import type { TokenBody, TokenDto } from './schemas.ts';

const BEARER_API_KEY = new RegExp(`^Bearer (${API_KEY_PREFIX}[A-Za-z0-9_-]+)$`);

/**
 * An API key's token (`Authorization: Bearer keel_…`) for the key's organization, with the key's
 * role and `sub` = `apikey:<id>`; a `tenantId`, when given, must be that organization (404
 * ORG_NOT_FOUND otherwise). Anything but a current key: 401 AUTH_API_KEY_INVALID.
 */
export async function exchangeApiKey(authorization: string, body: TokenBody, deps: Omit<ExchangeDeps, 'auth' | 'publicUrl'>): Promise<TokenDto> {
  const key = BEARER_API_KEY.exec(authorization)?.[1];
  if (key === undefined) throw new AuthApiKeyInvalidError();
  // Fetched before the transaction, which holds the key's row: signing takes no second connection.
  const signingKey = await deps.signingKeys.signingKey();
  return deps.database.transaction(async (tx) => {
    const apiKey = await useApiKey(tx, key, deps.clock.now());
    if (body?.tenantId !== undefined && body.tenantId !== apiKey.organizationId) throw new OrgNotFoundError();
    const { token, expiresAt } = await signAccessToken({
      keys: { signingKey: async () => signingKey },
      clock: deps.clock,
      claims: { sub: apiKeySubject(apiKey.id), tenantId: apiKey.organizationId, role: apiKey.role, region: apiKey.region },
      lifetimeSeconds: ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
    });
    return { token, expiresAt: expiresAt.toISOString(), region: apiKey.region };
  });
}
