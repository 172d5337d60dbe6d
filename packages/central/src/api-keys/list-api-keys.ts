import { asc, eq } from 'drizzle-orm';
import type { Database } from '@keel/kernel';
import { apiKeys } from './schema.ts';
import type { ApiKeyDto } from './schemas.ts';

/** An organization's API keys, revoked ones included, oldest first: never a key nor its hash. */
export async function listApiKeys(database: Database, organizationId: string): Promise<ApiKeyDto[]> {
  const rows = await database
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      role: apiKeys.role,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      createdBy: apiKeys.createdBy,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
}
