import { defineConsumer, type ConsumerDefinition, type StoragePort } from '@keel/kernel';
import { imageFiles } from './image-files.ts';
import { PRODUCT_IMAGE_EVENT_TYPES, PRODUCT_IMAGES_QUEUE, imageDiscardedPayload } from './image-events.ts';

/**
 * Deletes the files of an image that was replaced or deleted (alone or with its product), after
 * that change committed (CAT-048). Deleting a file already gone is no error, so a redelivery or a
 * replay is harmless.
 */
export function createDiscardImageFilesWorker(storage: StoragePort): ConsumerDefinition<never> {
  return defineConsumer({
    name: 'product-image-files-discard',
    queue: PRODUCT_IMAGES_QUEUE,
    eventTypes: [PRODUCT_IMAGE_EVENT_TYPES.discarded],
    payload: imageDiscardedPayload,
    async prepare({ tenantId, payload }) {
      const files = imageFiles(tenantId, payload.imageId);
      await Promise.all([storage.delete(files.original), storage.delete(files.thumbnail)]);
    },
    async handle() {},
  }) as ConsumerDefinition<never>;
}

