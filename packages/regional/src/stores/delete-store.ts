import { and, eq } from 'drizzle-orm';
import { SQLSTATE, postgresErrorOf, type WithTenant } from '@keel/kernel';
import { StoreHasOrdersError } from './errors.ts';
import { stores } from '../schema.ts';
import { STORE_EVENT_TYPES, emitStoreEvent } from './store-events.ts';
import { versionMiss } from './store-write-errors.ts';

/** Deletes the store (and its reviews); a store with orders stays: 409 STORE_HAS_ORDERS. */
export async function deleteStore(withTenant: WithTenant, storeId: string, input: { version: number }): Promise<void> {
  try {
    await deleteIt(withTenant, storeId, input);
  } catch (error) {
    if (postgresErrorOf(error, SQLSTATE.foreignKeyViolation)?.constraint === 'orders_store_fk') throw new StoreHasOrdersError({ cause: error });
    throw error;
  }
}

async function deleteIt(withTenant: WithTenant, storeId: string, input: { version: number }): Promise<void> {
  await withTenant(async (tx, tenantId) => {
    const [deleted] = await tx
      .delete(stores)
      .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId), eq(stores.version, input.version)))
      .returning();
    if (!deleted) throw await versionMiss(tx, tenantId, storeId);
    await emitStoreEvent(tx, STORE_EVENT_TYPES.deleted, { ...deleted, version: deleted.version + 1 });
  });
}
