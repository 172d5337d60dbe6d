import { z } from 'zod';
import { appendToOutbox, type TenantTransaction } from '@keel/kernel';

export const PRODUCT_IMAGES_QUEUE = 'product-images';

export const PRODUCT_IMAGE_EVENT_TYPES = {
  /** The original is stored: make its thumbnail. */
  uploaded: 'product.image_uploaded',
  /** The image was replaced or deleted (alone or with its product): delete its files. */
  discarded: 'product.image_discarded',
} as const;

/** `etag`: the stored original `/uploaded` found; the worker reads only that object (CAT-050). */
export const imageUploadedPayload = z.object({ productId: z.uuid(), imageId: z.uuid(), etag: z.string().optional() });
export const imageDiscardedPayload = z.object({ productId: z.uuid(), imageId: z.uuid() });

export async function emitImageEvent(tx: TenantTransaction, tenantId: string, type: (typeof PRODUCT_IMAGE_EVENT_TYPES)[keyof typeof PRODUCT_IMAGE_EVENT_TYPES], payload: { productId: string; imageId: string; etag?: string }): Promise<void> {
  await appendToOutbox(tx, tenantId, [{ type, payload }]);
}
