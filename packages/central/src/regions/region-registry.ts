import { asc } from 'drizzle-orm';
import type { Database } from '@keel/kernel';
import { regions } from '../schema.ts';

/** The regions a tenant can call home. Each regional deployment is registered by its operator. */
export function createRegionRegistry(database: Database) {
  return {
    async register(regionId: string): Promise<void> {
      await database.insert(regions).values({ id: regionId }).onConflictDoNothing();
    },
    async list(): Promise<string[]> {
      const rows = await database.select({ id: regions.id }).from(regions).orderBy(asc(regions.id));
      return rows.map((row) => row.id);
    },
  };
}

export type RegionRegistry = ReturnType<typeof createRegionRegistry>;
