import { and, eq, lt } from 'drizzle-orm';
import { deleteDueRows, retentionCutoff, type TenantPurge } from '@keel/kernel';
import { tokenRevocations } from '../schema.ts';

/**
 * A revocation refuses tokens issued at or before it; those live at most ACCESS_TOKEN_MAX_LIFETIME_SECONDS
 * (5 minutes), so once `minutes` (config: at least 10, for clock skew) have passed it refuses nothing
 * more and goes (RET-005).
 */
export function tokenRevocationsPurge(minutes: number): TenantPurge {
  return {
    scope: 'tenant',
    name: 'token-revocations',
    purge: ({ tx, tenantId, now, limit }) =>
      deleteDueRows(tx, {
        table: tokenRevocations,
        due: and(eq(tokenRevocations.tenantId, tenantId), lt(tokenRevocations.revokedAt, retentionCutoff(now, { ms: minutes * 60_000 })))!,
        oldest: tokenRevocations.revokedAt,
        limit,
      }),
  };
}
