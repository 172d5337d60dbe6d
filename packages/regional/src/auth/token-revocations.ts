import { sql } from 'drizzle-orm';
import type { AccessTokenClaims } from '@keel/central/contracts';
import type { Database } from '@keel/kernel';

export type RevocationCheck = (claims: AccessTokenClaims) => Promise<boolean>;

/**
 * Whether central has revoked this token: its subject was revoked in its tenant at or after the
 * second it was issued (`keel_token_revoked`, one statement, in migration 0009). `iat` has whole
 * seconds, so a token issued in the same second as the revocation is refused too — even one issued
 * just after it; the client asks central again a second later.
 */
export function createRevocationCheck(appDatabase: Database): RevocationCheck {
  return async (claims) => {
    const result = await appDatabase.execute<{ revoked: boolean }>(sql`select keel_token_revoked(${claims.tenant_id}::uuid, ${claims.sub}, ${claims.iat}::bigint) as revoked`);
    return result.rows[0]?.revoked === true;
  };
}
