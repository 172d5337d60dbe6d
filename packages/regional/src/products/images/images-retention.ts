import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import { appendToOutbox, retentionCutoff, type TenantPurge } from '@keel/kernel';
import { PRODUCT_IMAGE_EVENT_TYPES } from './image-events.ts';
import { productImages } from './schema.ts';

/**
 * Product images still awaiting their file `abandonedAfterMs` after they were asked for go (RET-014): the product then has no image, and the files go through the outbox like any discarded
 * image's (CAT-048). `updated_at` is when the image began awaiting its file (a new upload request
 * resets it). Rows `/uploaded` or a new request hold are skipped, and re-read after the lock.
 */
export function abandonedImagesPurge(abandonedAfterMs: number): TenantPurge {
  return {
    scope: 'tenant',
    name: 'abandoned-product-images',
    async purge({ tx, tenantId, now, limit }) {
      const cutoff = retentionCutoff(now, { ms: abandonedAfterMs });
      const due = await tx
        .select({ productId: productImages.productId, id: productImages.id })
        .from(productImages)
        .where(and(eq(productImages.tenantId, tenantId), eq(productImages.state, 'awaiting_upload'), lt(productImages.updatedAt, cutoff)))
        .orderBy(asc(productImages.updatedAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      await tx.delete(productImages).where(and(eq(productImages.tenantId, tenantId), inArray(productImages.productId, due.map((row) => row.productId))));
      await appendToOutbox(tx, tenantId, due.map((row) => ({ type: PRODUCT_IMAGE_EVENT_TYPES.discarded, payload: { productId: row.productId, imageId: row.id } })));
      return due.length;
    },
  };
}
