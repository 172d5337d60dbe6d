import { createSigningKeyStore } from '@keel/central';
import { withCentralDatabase } from '../db/with-central-database.ts';

/**
 * `keel keys rotate`: a new signing key signs central's tokens from now on; the previous key stays
 * in the JWKS for SIGNING_KEY_OVERLAP_MS, so the tokens it signed keep verifying until they expire.
 */
export async function rotateKeysCommand(): Promise<number> {
  return withCentralDatabase(async (database, config) => {
    const { kid } = await createSigningKeyStore(database).rotate({ overlapMs: config.signingKeyOverlapMs });
    console.log(`signing key ${kid} is active; the previous key stays published for ${config.signingKeyOverlapMs} ms`);
    return 0;
  });
}
