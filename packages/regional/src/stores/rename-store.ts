import { and, eq, sql } from 'drizzle-orm';
import type { WithTenant } from '@keel/kernel';
import { stores } from '../schema.ts';
import type { StoreRow } from './store-row.ts';
import { STORE_EVENT_TYPES, emitStoreEvent } from './store-events.ts';
import { rethrowStoreWriteError, versionMiss } from './store-write-errors.ts';

export async function renameStore(withTenant: WithTenant, storeId: string, input: { name: string; version: number }): Promise<StoreRow> {
  try {
    return await withTenant(async (tx, tenantId) => {
      const [row] = await tx
        .update(stores)
        .set({ name: input.name, version: sql`${stores.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId), eq(stores.version, input.version)))
        .returning();
      if (!row) throw await versionMiss(tx, tenantId, storeId);
      await emitStoreEvent(tx, STORE_EVENT_TYPES.renamed, row);
      return row;
    });
  } catch (error) {
    return rethrowStoreWriteError(error);
  }
}
