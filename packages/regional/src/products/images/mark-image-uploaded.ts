import { and, eq } from 'drizzle-orm';
import { UploadUrlInvalidError, type SignedUpload, type StoragePort, type TenantTransaction, type WithTenant } from '@keel/kernel';
import { ProductImageNotAwaitingUploadError, ProductImageNotFoundError, ProductImageNotUploadedError } from './errors.ts';
import { imageFiles } from './image-files.ts';
import { PRODUCT_IMAGE_EVENT_TYPES, emitImageEvent } from './image-events.ts';
import { findImage, nextImageVersion, toImageDto } from './queries.ts';
import { productImages } from './schema.ts';

type Deps = { withTenant: WithTenant; storage: StoragePort };

/**
 * The admin says the file is uploaded (CAT-042): if storage holds it, the image is `processing` and
 * `product.image_uploaded` goes to the outbox in the same transaction, naming the stored object (its
 * etag): the worker reads that object or fails the image (CAT-050). Saying it again afterwards
 * answers the image as it is.
 */
export async function markImageUploaded(deps: Deps, productId: string) {
  return deps.withTenant(async (tx, tenantId) => {
    const image = await findImage(tx, tenantId, productId, { forUpdate: true });
    if (!image) throw new ProductImageNotFoundError();
    if (image.state !== 'awaiting_upload') return toImageDto(image);
    const stored = await deps.storage.stat(imageFiles(tenantId, image.id).original);
    if (stored === undefined) throw new ProductImageNotUploadedError();
    const [processing] = await tx
      .update(productImages)
      .set({ state: 'processing', ...nextImageVersion })
      .where(and(eq(productImages.tenantId, tenantId), eq(productImages.productId, productId)))
      .returning();
    await emitImageEvent(tx, tenantId, PRODUCT_IMAGE_EVENT_TYPES.uploaded, { productId, imageId: image.id, etag: stored.etag });
    return toImageDto(processing!);
  });
}

/**
 * Local driver: the file sent to the signed URL (CAT-041). The image must be this tenant's, still
 * awaiting its file, and the URL signed for its original's key; the driver checks signature,
 * expiry, type and size. Checked before the body is read, and again once it is whole, under the
 * row lock `/uploaded` and a replacing request take: a file that arrives too late is discarded
 * (CAT-050).
 */
export async function receiveImageFile(deps: Deps, productId: string, token: string, upload: SignedUpload) {
  const awaitingFile = async (tx: TenantTransaction, tenantId: string, options: { forUpdate?: boolean } = {}) => {
    const image = await findImage(tx, tenantId, productId, options);
    if (!image) throw new ProductImageNotFoundError();
    if (image.state !== 'awaiting_upload') throw new ProductImageNotAwaitingUploadError();
    if (deps.storage.verifyUploadToken(token).key !== imageFiles(tenantId, image.id).original) throw new UploadUrlInvalidError();
    return image;
  };
  const image = await deps.withTenant((tx, tenantId) => awaitingFile(tx, tenantId));
  await deps.storage.receiveUpload(token, upload, (store) =>
    deps.withTenant(async (tx, tenantId) => {
      await awaitingFile(tx, tenantId, { forUpdate: true });
      await store();
    }),
  );
  return toImageDto(image);
}
