import { and, eq, isNull } from 'drizzle-orm';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import { organizations } from '../organizations/schema.ts';
import { hashApiKey } from './api-key-secret.ts';
import { AuthApiKeyInvalidError } from './errors.ts';
import { apiKeys } from './schema.ts';
import type { ApiKeyRole } from './schemas.ts';

export interface UsedApiKey {
  id: string;
  organizationId: string;
  role: ApiKeyRole;
  /** The organization's home region. */
  region: string;
}

/**
 * The API key `key` names, marked as used now. An unknown or revoked key: 401 AUTH_API_KEY_INVALID.
 * The update locks the key's row until `tx` ends: sign the key's token in `tx`, and a concurrent
 * revocation is stamped after that token was issued.
 */
export async function useApiKey(tx: CentralTransaction, key: string, now: Date): Promise<UsedApiKey> {
  const [used] = await tx
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .from(organizations)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt), eq(organizations.id, apiKeys.organizationId)))
    .returning({ id: apiKeys.id, organizationId: apiKeys.organizationId, role: apiKeys.role, region: organizations.homeRegion });
  if (!used) throw new AuthApiKeyInvalidError();
  return used;
}
