import { createRegionRegistry } from '@keel/central';
import { randomSecret } from '@keel/kernel';
import { withCentralDatabase } from '../db/with-central-database.ts';

const REGION_ID = /^[a-z][a-z0-9-]{0,30}$/;

/**
 * `keel regions add <region>`: registers a region with central (KEEL_ROLE=central's databases) and
 * prints the credential it must present to central's feed, once — central keeps only its hash.
 * Running it again for the same region replaces the credential.
 */
export async function addRegionCommand(args: string[]): Promise<number> {
  const [region] = args;
  if (region === undefined || !REGION_ID.test(region)) {
    console.error('usage: keel regions add <region>  (lower-case letters, digits and dashes)');
    return 2;
  }
  return withCentralDatabase(async (database) => {
    const credential = randomSecret() + randomSecret();
    await createRegionRegistry(database).register(region, credential);
    console.log(`region ${region} registered; give it KEEL_REGION=${region} KEEL_REGION_CREDENTIAL=${credential}`);
    return 0;
  });
}
