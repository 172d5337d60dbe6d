import { decodeJwt } from 'jose';
import { AuthTokenInvalidError, AuthTokenMissingError, AuthTokenWrongRegionError } from '@keel/central/contracts';

/**
 * The tenant's home region, read from the bearer token's `region` claim. The edge only routes: it
 * does not verify the signature — the region does, and refuses tokens minted for another region.
 */
export function homeRegionUrl(authorization: string | undefined, regionUrls: ReadonlyMap<string, string>): string {
  if (authorization === undefined || authorization === '') throw new AuthTokenMissingError();
  const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
  if (token === undefined) throw new AuthTokenInvalidError();
  let region: unknown;
  try {
    region = decodeJwt(token).region;
  } catch (error) {
    throw new AuthTokenInvalidError({ cause: error });
  }
  const url = typeof region === 'string' ? regionUrls.get(region) : undefined;
  if (url === undefined) throw new AuthTokenWrongRegionError();
  return url;
}
