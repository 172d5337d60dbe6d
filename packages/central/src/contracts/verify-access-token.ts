import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import type { Clock } from '@keel/kernel';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
  accessTokenClaimsSchema,
  type AccessTokenClaims,
} from './access-token.ts';
import { AuthTokenExpiredError, AuthTokenInvalidError, AuthTokenWrongRegionError, CentralUnavailableError } from './token-errors.ts';

export type AccessTokenVerifier = (token: string) => Promise<AccessTokenClaims>;

export interface VerifierOptions {
  /** A function when the URL is known only once the server listens (one-process mode on port 0). */
  jwksUrl: string | (() => string);
  /** The region doing the verifying; tokens for other regions are refused. */
  region: string;
  clock: Clock;
  /** How long fetched public keys are trusted before jose fetches them again. */
  cacheMaxAgeMs: number;
}

/**
 * Verifies tokens locally against central's public keys, fetched once and cached (jose refetches
 * on an unknown key id), so no request waits on central.
 */
export function createAccessTokenVerifier(options: VerifierOptions): AccessTokenVerifier {
  let remote: RemoteJWKSet | undefined;
  const keys: JWTVerifyGetKey = async (header, token) => {
    const url = typeof options.jwksUrl === 'string' ? options.jwksUrl : options.jwksUrl();
    remote ??= createRemoteJWKSet(new URL(url), { cacheMaxAge: options.cacheMaxAgeMs, cooldownDuration: 30_000 });
    try {
      return await remote(header, token);
    } catch (error) {
      // Central is down while the cached keys have aged: the keys last fetched still verify
      // tokens they signed — regions keep serving valid tokens while central is away.
      const lastKnown = remote.jwks();
      if (!isVerdictOnToken(error) && lastKnown) return createLocalJWKSet(lastKnown)(header, token);
      throw error;
    }
  };
  return createVerifierWithKeys(keys, options);
}

/** Errors that judge the token itself; anything else (timeouts, bad answers) is about reaching central. */
function isVerdictOnToken(error: unknown): boolean {
  return [
    joseErrors.JWTExpired,
    joseErrors.JWTClaimValidationFailed,
    joseErrors.JWTInvalid,
    joseErrors.JWSInvalid,
    joseErrors.JWSSignatureVerificationFailed,
    joseErrors.JWKSNoMatchingKey,
    joseErrors.JWKSMultipleMatchingKeys,
    joseErrors.JOSEAlgNotAllowed,
    joseErrors.JOSENotSupported,
  ].some((verdict) => error instanceof verdict);
}

export function createVerifierWithKeys(keys: JWTVerifyGetKey, options: Pick<VerifierOptions, 'region' | 'clock'>): AccessTokenVerifier {
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        currentDate: options.clock.now(),
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthTokenExpiredError({ cause: error });
      if (isVerdictOnToken(error)) throw new AuthTokenInvalidError({ cause: error });
      // No key could be had: the token may be fine, central is what is missing.
      throw new CentralUnavailableError({ cause: error });
    }
    const claims = accessTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthTokenInvalidError({ cause: claims.error });
    if (claims.data.exp - claims.data.iat > ACCESS_TOKEN_MAX_LIFETIME_SECONDS) throw new AuthTokenInvalidError();
    if (claims.data.region !== options.region) throw new AuthTokenWrongRegionError();
    return claims.data;
  };
}
