import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { UploadTooLargeError, UploadTypeNotAllowedError, mediaType, type StoragePort, type WithTenant } from '@keel/kernel';
import { ProductNotFoundError } from '../errors.ts';
import { findProduct } from '../queries.ts';
import { imageFiles } from './image-files.ts';
import { PRODUCT_IMAGE_EVENT_TYPES, emitImageEvent } from './image-events.ts';
import { findImage, toImageDto } from './queries.ts';
import { productImages } from './schema.ts';
import { PRODUCT_IMAGE_TYPES, type RequestImageInput } from './schemas.ts';

export interface ImageUploadDependencies {
  withTenant: WithTenant;
  storage: StoragePort;
  /** PRODUCT_IMAGE_MAX_BYTES. */
  maxBytes: number;
}

/**
 * Starts a new image for the product (CAT-040): checks what the admin declares, records the image
 * awaiting its file and answers where to upload it, limited to that type and the size limit. An
 * image the product had is replaced at once; its files are discarded through the outbox.
 */
export async function requestImageUpload(deps: ImageUploadDependencies, productId: string, input: RequestImageInput) {
  if (input.size > deps.maxBytes) throw new UploadTooLargeError({ details: [{ path: 'body.size', rule: 'too_big' }] });
  const contentType = mediaType(input.contentType) ?? '';
  if (!(PRODUCT_IMAGE_TYPES as readonly string[]).includes(contentType)) throw new UploadTypeNotAllowedError({ details: [{ path: 'body.contentType', rule: 'not_allowed' }] });
  return deps.withTenant(async (tx, tenantId) => {
    if (!(await findProduct(tx, tenantId, productId))) throw new ProductNotFoundError();
    const previous = await findImage(tx, tenantId, productId, { forUpdate: true });
    const imageId = randomUUID();
    const upload = await deps.storage.createUploadTarget({ key: imageFiles(tenantId, imageId).original, contentType, maxBytes: deps.maxBytes, receiveUrl: `/api/v1/products/${productId}/image/file` });
    const fresh = { id: imageId, state: 'awaiting_upload' as const, contentType, declaredBytes: input.size, width: null, height: null, failureCode: null };
    const [row] = await tx
      .insert(productImages)
      .values({ tenantId, productId, ...fresh })
      .onConflictDoUpdate({ target: [productImages.tenantId, productImages.productId], set: { ...fresh, version: sql`${productImages.version} + 1`, updatedAt: sql`now()` } })
      .returning();
    if (previous) await emitImageEvent(tx, tenantId, PRODUCT_IMAGE_EVENT_TYPES.discarded, { productId, imageId: previous.id });
    return { image: toImageDto(row!), upload: { ...upload, expiresAt: upload.expiresAt.toISOString(), maxBytes: deps.maxBytes } };
  });
}
