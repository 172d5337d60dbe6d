/** Where an image's files live: under the tenant, by image id (a new upload never reuses a key). */
export function imageFiles(tenantId: string, imageId: string): { original: string; thumbnail: string } {
  const folder = `tenants/${tenantId}/product-images/${imageId}`;
  return { original: `${folder}/original`, thumbnail: `${folder}/thumbnail.webp` };
}

/** The thumbnail's edge, in pixels: it fits in a square of this size, its aspect kept. */
export const THUMBNAIL_SIZE = 256;
export const THUMBNAIL_TYPE = 'image/webp';
