import { SignJWT } from 'jose';
import type { Clock } from '@keel/kernel';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
  type AccessTokenClaims,
} from '../contracts/access-token.ts';
import type { SigningKeyStore } from '../signing-keys/signing-key-store.ts';

export interface AccessTokenRequest {
  keys: Pick<SigningKeyStore, 'signingKey'>;
  clock: Clock;
  claims: { sub: string; tenantId: string; role: AccessTokenClaims['role']; region: string };
  /** At most ACCESS_TOKEN_MAX_LIFETIME_SECONDS (5 minutes). */
  lifetimeSeconds: number;
}

/** A token in the contract's format (see contracts/access-token.ts), signed by the active key. */
export async function signAccessToken(request: AccessTokenRequest): Promise<{ token: string; expiresAt: Date }> {
  const { lifetimeSeconds, claims } = request;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > ACCESS_TOKEN_MAX_LIFETIME_SECONDS) {
    throw new RangeError(`an access token lives 1 to ${ACCESS_TOKEN_MAX_LIFETIME_SECONDS} seconds, not ${lifetimeSeconds}`);
  }
  const { kid, privateKey } = await request.keys.signingKey();
  const issuedAt = Math.floor(request.clock.now().getTime() / 1000);
  const expiresAt = issuedAt + lifetimeSeconds;
  const token = await new SignJWT({ tenant_id: claims.tenantId, role: claims.role, region: claims.region })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}
