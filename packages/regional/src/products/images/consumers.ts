import type { ConsumerDefinition, StoragePort } from '@keel/kernel';
import { createDiscardImageFilesWorker } from './discard-files-worker.ts';
import { createThumbnailWorker } from './thumbnail-worker.ts';

/** The product images' consumers, for the regional layer: thumbnails, and the deletion of discarded files. */
export function productImageConsumers(options: { storage: StoragePort; maxBytes: number }): ConsumerDefinition<never>[] {
  return [createThumbnailWorker(options), createDiscardImageFilesWorker(options.storage)];
}
