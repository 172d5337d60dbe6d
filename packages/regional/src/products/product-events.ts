import { appendToOutbox, type OutgoingEvent, type TenantTransaction } from '@keel/kernel';
import type { ProductRow } from './product-row.ts';

export const PRODUCT_EVENT_TYPES = { created: 'product.created', changed: 'product.changed', deleted: 'product.deleted' } as const;

export type ProductEventType = (typeof PRODUCT_EVENT_TYPES)[keyof typeof PRODUCT_EVENT_TYPES];

/** Appended in the transaction of the change, with the product's new version (its entity version). */
export async function emitProductEvent(
  tx: TenantTransaction,
  type: ProductEventType,
  product: Pick<ProductRow, 'tenantId' | 'id' | 'sku' | 'name' | 'priceMinor' | 'active' | 'version'>,
): Promise<void> {
  const { id: productId, sku, name, priceMinor, active, version } = product;
  await appendToOutbox(tx, product.tenantId, [{ type, payload: { productId, sku, name, priceMinor, active, version } }]);
}

/** Several products' events, for the caller to append in one outbox insert (a CSV import's batch). */
export function productEvents(type: ProductEventType, rows: readonly Pick<ProductRow, 'id' | 'sku' | 'name' | 'priceMinor' | 'active' | 'version'>[]): OutgoingEvent[] {
  return rows.map(({ id: productId, sku, name, priceMinor, active, version }) => ({ type, payload: { productId, sku, name, priceMinor, active, version } }));
}
