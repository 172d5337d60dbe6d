import type { TenantTransaction, WithTenant } from '@keel/kernel';
import { ProductImageNotFoundError } from './errors.ts';
import { PRODUCT_IMAGE_EVENT_TYPES, emitImageEvent } from './image-events.ts';
import { removeImage } from './queries.ts';

/** Removes the product's image (CAT-048); its files are deleted once that committed. */
export async function deleteImage(withTenant: WithTenant, productId: string): Promise<void> {
  await withTenant(async (tx, tenantId) => {
    if (!(await discardImage(tx, tenantId, productId))) throw new ProductImageNotFoundError();
  });
}

/** In the caller's transaction: the image row goes now, its files through the outbox. Whether there was one. */
export async function discardImage(tx: TenantTransaction, tenantId: string, productId: string): Promise<boolean> {
  const removed = await removeImage(tx, tenantId, productId);
  if (removed) await emitImageEvent(tx, tenantId, PRODUCT_IMAGE_EVENT_TYPES.discarded, { productId, imageId: removed.id });
  return removed !== undefined;
}
