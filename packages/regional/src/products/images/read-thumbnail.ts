import type { Readable } from 'node:stream';
import type { StoragePort, WithTenant } from '@keel/kernel';
import { ProductImageNotFoundError } from './errors.ts';
import { imageFiles, THUMBNAIL_TYPE } from './image-files.ts';
import { findImage } from './queries.ts';

/**
 * The thumbnail of the product's ready image (CAT-047), found under the caller's tenant only: the
 * bytes come from storage by the key of that tenant's image, so no other tenant's file is reachable.
 */
export async function readThumbnail(deps: { withTenant: WithTenant; storage: StoragePort }, productId: string): Promise<{ imageId: string; contentType: string; body: Readable }> {
  const found = await deps.withTenant(async (tx, tenantId) => ({ tenantId, image: await findImage(tx, tenantId, productId) }));
  if (found.image?.state !== 'ready') throw new ProductImageNotFoundError();
  return { imageId: found.image.id, contentType: THUMBNAIL_TYPE, body: await deps.storage.read(imageFiles(found.tenantId, found.image.id).thumbnail) };
}
