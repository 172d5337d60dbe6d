import { and, eq } from 'drizzle-orm';
import { UploadChangedError, UploadTooLargeError, UploadTypeNotAllowedError, StoredObjectNotFoundError, defineConsumer, mediaType, type ConsumerDefinition, type StoragePort } from '@keel/kernel';
import { ProductImageInvalidError } from './errors.ts';
import { imageFiles, THUMBNAIL_TYPE } from './image-files.ts';
import { PRODUCT_IMAGE_EVENT_TYPES, PRODUCT_IMAGES_QUEUE, imageUploadedPayload } from './image-events.ts';
import { makeThumbnail } from './make-thumbnail.ts';
import { findImage, nextImageVersion } from './queries.ts';
import { productImages } from './schema.ts';
import { PRODUCT_IMAGE_TYPES } from './schemas.ts';

export interface ThumbnailWorkerOptions {
  storage: StoragePort;
  /** PRODUCT_IMAGE_MAX_BYTES. */
  maxBytes: number;
}

/** What the worker made of the stored original, before its transaction. */
type Outcome = { state: 'ready'; width: number; height: number } | { state: 'failed'; failureCode: string };

/**
 * Makes the thumbnail of an uploaded image (CAT-043…CAT-045). The slow part — reading the original,
 * decoding it, storing the thumbnail under the image's own key — runs in `prepare`, outside any
 * transaction, and is safe to repeat. Then, in the tenant's transaction with its ledger row, the
 * image becomes `ready` or `failed` with a code; an unusable file is an outcome, not an error, so it
 * is never retried nor dead-lettered. An event for an image since replaced or deleted changes nothing.
 */
export function createThumbnailWorker(options: ThumbnailWorkerOptions): ConsumerDefinition<never> {
  return defineConsumer({
    name: 'product-image-thumbnail',
    queue: PRODUCT_IMAGES_QUEUE,
    eventTypes: [PRODUCT_IMAGE_EVENT_TYPES.uploaded],
    payload: imageUploadedPayload,
    prepare: ({ tenantId, payload }) => processOriginal(options, imageFiles(tenantId, payload.imageId), payload.etag),
    async handle({ tx, tenantId, payload, prepared }) {
      const outcome = prepared as Outcome;
      const image = await findImage(tx, tenantId, payload.productId, { forUpdate: true });
      if (image?.id !== payload.imageId || image.state !== 'processing') {
        // Replaced or deleted while its thumbnail was made: that thumbnail belongs to nothing.
        if (outcome.state === 'ready' && image?.id !== payload.imageId) await options.storage.delete(imageFiles(tenantId, payload.imageId).thumbnail);
        return;
      }
      await tx
        .update(productImages)
        .set(outcome.state === 'ready' ? { state: 'ready', width: outcome.width, height: outcome.height, ...nextImageVersion } : { state: 'failed', failureCode: outcome.failureCode, ...nextImageVersion })
        .where(and(eq(productImages.tenantId, tenantId), eq(productImages.productId, payload.productId)));
    },
  }) as ConsumerDefinition<never>;
}

async function processOriginal(options: ThumbnailWorkerOptions, files: { original: string; thumbnail: string }, etag: string | undefined): Promise<Outcome> {
  const stored = await options.storage.stat(files.original);
  if (stored === undefined) return failed(new StoredObjectNotFoundError());
  // The file `/uploaded` found, and no other: a signed URL used again after it is refused (CAT-050).
  if (etag !== undefined && stored.etag !== etag) return failed(new UploadChangedError());
  // The admin declared a size and a type; the stored object is what was actually sent.
  if (stored.size > options.maxBytes) return failed(new UploadTooLargeError());
  if (!(PRODUCT_IMAGE_TYPES as readonly string[]).includes(mediaType(stored.contentType) ?? '')) return failed(new UploadTypeNotAllowedError());
  let original: Buffer | undefined;
  try {
    original = await readAll(options.storage, files.original, options.maxBytes, stored.etag);
  } catch (error) {
    if (error instanceof UploadChangedError) return failed(error);
    throw error;
  }
  if (original === undefined) return failed(new UploadTooLargeError());
  const thumbnail = await makeThumbnail(original);
  if (!thumbnail.ok) return failed(new ProductImageInvalidError());
  await options.storage.put(files.thumbnail, thumbnail.webp, THUMBNAIL_TYPE);
  return { state: 'ready', width: thumbnail.width, height: thumbnail.height };
}

function failed(error: { code: string }): Outcome {
  return { state: 'failed', failureCode: error.code };
}

/** The object's bytes, or undefined once it exceeds `maxBytes` (it grew since it was checked). */
async function readAll(storage: StoragePort, key: string, maxBytes: number, etag: string): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = await storage.read(key, { ifMatch: etag });
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
