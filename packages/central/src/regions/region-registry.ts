import { createHash, timingSafeEqual } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '@keel/kernel';
import { regions } from '../schema.ts';

/**
 * The regions a tenant can call home. Each regional deployment is registered by its operator with
 * the credential it presents to the feed; central stores only a hash of it.
 */
export function createRegionRegistry(database: Database) {
  return {
    async register(regionId: string, credential?: string): Promise<void> {
      const credentialHash = credential === undefined ? null : hashCredential(credential);
      await database
        .insert(regions)
        .values({ id: regionId, credentialHash })
        .onConflictDoUpdate({ target: regions.id, set: credential === undefined ? { id: regionId } : { credentialHash } });
    },
    async list(): Promise<string[]> {
      const rows = await database.select({ id: regions.id }).from(regions).orderBy(asc(regions.id));
      return rows.map((row) => row.id);
    },
    async verifyCredential(regionId: string, credential: string): Promise<boolean> {
      const [row] = await database.select({ credentialHash: regions.credentialHash }).from(regions).where(eq(regions.id, regionId));
      if (!row?.credentialHash) return false;
      return timingSafeEqual(Buffer.from(row.credentialHash, 'hex'), Buffer.from(hashCredential(credential), 'hex'));
    },
  };
}

/** Credentials are long random secrets, so a plain SHA-256 is enough (no password stretching). */
function hashCredential(credential: string): string {
  return createHash('sha256').update(credential).digest('hex');
}

export type RegionRegistry = ReturnType<typeof createRegionRegistry>;
