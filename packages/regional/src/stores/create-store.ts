import type { WithTenant } from '@keel/kernel';
import { stores } from '../schema.ts';
import type { StoreRow } from './store-row.ts';
import { STORE_EVENT_TYPES, emitStoreEvent } from './store-events.ts';
import { rethrowStoreWriteError } from './store-write-errors.ts';

export async function createStore(withTenant: WithTenant, input: { name: string }): Promise<StoreRow> {
  try {
    return await withTenant(async (tx, tenantId) => {
      const [row] = await tx.insert(stores).values({ tenantId, name: input.name }).returning();
      await emitStoreEvent(tx, STORE_EVENT_TYPES.created, row!);
      return row!;
    });
  } catch (error) {
    return rethrowStoreWriteError(error);
  }
}
