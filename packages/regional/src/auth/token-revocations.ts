import { sql } from 'drizzle-orm';
import type { AccessTokenClaims } from '@keel/central/contracts';
import type { Database } from '@keel/kernel';

/**
 * What the region says of a verified token's request: `revoked` (central revoked its subject in its
 * tenant since it was issued), `ended` (the tenant's subscription ended: SUB-037), or `ok`.
 */
export type RequestVerdict = 'revoked' | 'ended' | 'ok';
export type RequestVerdictCheck = (claims: AccessTokenClaims) => Promise<RequestVerdict>;

/**
 * One statement per request (`keel_request_verdict`, migration 0013, which extends migration 0009's
 * `keel_token_revoked`): revoked when the token's subject was revoked in its tenant at or after the
 * second it was issued — `iat` has whole seconds, so a token issued in the same second as the
 * revocation is refused too, even one issued just after it (the client asks central again a second
 * later); else ended when the tenant's plan says `access: ended`.
 */
export function createRequestVerdictCheck(appDatabase: Database): RequestVerdictCheck {
  return async (claims) => {
    const result = await appDatabase.execute<{ verdict: RequestVerdict }>(
      sql`select keel_request_verdict(${claims.tenant_id}::uuid, ${claims.sub}, ${claims.iat}::bigint) as verdict`,
    );
    return result.rows[0]?.verdict ?? 'ok';
  };
}
