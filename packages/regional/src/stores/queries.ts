import { and, asc, eq, gt } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { stores } from '../schema.ts';
import type { StoreRow } from './store-row.ts';

export async function listStores(tx: TenantTransaction, tenantId: string, page: { limit: number; after?: string | undefined }): Promise<StoreRow[]> {
  return tx
    .select()
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), page.after === undefined ? undefined : gt(stores.id, page.after)))
    .orderBy(asc(stores.id))
    .limit(page.limit + 1);
}

export async function findStore(tx: TenantTransaction, tenantId: string, storeId: string): Promise<StoreRow | undefined> {
  const [row] = await tx
    .select()
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
  return row;
}
