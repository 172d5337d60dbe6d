import type { Database } from '@keel/kernel';
import { recordAudit } from '../audit/record-audit.ts';
import { lockOrganization } from '../members/organization-lock.ts';
import { requireRoomFor } from '../subscriptions/limits.ts';
import { countActiveApiKeys } from '../subscriptions/usage.ts';
import { newApiKey } from './api-key-secret.ts';
import { apiKeys } from './schema.ts';
import type { CreateApiKeyBody, CreatedApiKeyDto } from './schemas.ts';

/**
 * Creates an API key for an organization and records `api_key.created`, in one transaction.
 * Only the key's hash is stored: the answer is the one place the key itself ever appears. The
 * plan's `apiKeys` limit (keys not revoked) is checked under the organization's lock, so
 * concurrent creations never exceed it: 402 PLAN_LIMIT_REACHED beyond.
 */
export async function createApiKey(database: Database, input: { organizationId: string; userId: string; body: CreateApiKeyBody; now: Date }): Promise<CreatedApiKeyDto> {
  const { organizationId, userId, body, now } = input;
  const { key, hash, prefix } = newApiKey();
  return database.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    await requireRoomFor(tx, organizationId, 'apiKeys', await countActiveApiKeys(tx, organizationId));
    const [row] = await tx
      .insert(apiKeys)
      .values({ organizationId, name: body.name, role: body.role, keyHash: hash, prefix, createdBy: userId, createdAt: now })
      .returning({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
    const created = row!;
    await recordAudit(tx, {
      organizationId,
      actor: { userId },
      action: 'api_key.created',
      details: { apiKeyId: created.id, name: created.name, role: created.role, prefix },
      at: now,
    });
    return { ...created, key, createdAt: created.createdAt.toISOString() };
  });
}
