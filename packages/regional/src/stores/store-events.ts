import { appendToOutbox, type TenantTransaction } from '@keel/kernel';
import type { StoreRow } from './store-row.ts';

export const STORE_EVENT_TYPES = { created: 'store.created', renamed: 'store.renamed', deleted: 'store.deleted' } as const;

export type StoreEventType = (typeof STORE_EVENT_TYPES)[keyof typeof STORE_EVENT_TYPES];

/** Appended in the transaction of the change, with the store's new version (its entity version). */
export async function emitStoreEvent(tx: TenantTransaction, type: StoreEventType, store: Pick<StoreRow, 'tenantId' | 'id' | 'name' | 'version'>): Promise<void> {
  await appendToOutbox(tx, store.tenantId, [{ type, payload: { storeId: store.id, name: store.name, version: store.version } }]);
}
