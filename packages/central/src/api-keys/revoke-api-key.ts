import { and, eq } from 'drizzle-orm';
import type { Clock, Database } from '@keel/kernel';
import { recordAudit } from '../audit/record-audit.ts';
import { apiKeySubject, CENTRAL_EVENT_TYPES, type TokensRevokedPayload } from '../contracts/feed.ts';
import { appendToFeed } from '../feed/append-to-feed.ts';
import { ApiKeyNotFoundError } from './errors.ts';
import { apiKeys } from './schema.ts';

export interface RevokeApiKeyInput {
  organizationId: string;
  /** The organization's home region, where its tokens are cut. */
  region: string;
  apiKeyId: string;
  userId: string;
}

/**
 * Revokes an organization's API key: it can no longer be exchanged, and `tokens.revoked` tells
 * the home region to refuse the tokens already signed for it; audited — one transaction. Revoking
 * a revoked key changes nothing (and publishes nothing); a key of another organization is not found.
 */
export async function revokeApiKey(database: Database, clock: Clock, input: RevokeApiKeyInput): Promise<void> {
  const { organizationId, region, apiKeyId, userId } = input;
  await database.transaction(async (tx) => {
    const [key] = await tx
      .select({ name: apiKeys.name, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, apiKeyId), eq(apiKeys.organizationId, organizationId)))
      .for('update');
    if (!key) throw new ApiKeyNotFoundError();
    if (key.revokedAt) return;
    // Read once the row is locked: an exchange in progress has signed its token by then, so the
    // revocation is stamped at or after that token's `iat`, and the region cuts it too.
    const now = clock.now();
    await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, apiKeyId));
    const payload: TokensRevokedPayload = { tenantId: organizationId, subject: apiKeySubject(apiKeyId), revokedAt: now.toISOString(), reason: 'api_key.revoked' };
    await appendToFeed(tx, [{ type: CENTRAL_EVENT_TYPES.tokensRevoked, tenantId: organizationId, region, payload }]);
    await recordAudit(tx, { organizationId, actor: { userId }, action: 'api_key.revoked', details: { apiKeyId, name: key.name }, at: now });
  });
}
