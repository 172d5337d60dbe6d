import { z } from 'zod';
import { uploadTargetSchema } from '@keel/kernel';
import { PRODUCT_IMAGE_STATES } from './schema.ts';

/** What admins may upload as a product image (specs/catalog.md, CAT-040). */
export const PRODUCT_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export const requestImageBody = z.strictObject({
  contentType: z.string().trim().toLowerCase().min(1).max(255),
  /** The file's size in bytes, as the browser reports it. */
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type RequestImageInput = z.infer<typeof requestImageBody>;

/** A product's image as every product answer carries it (`null`: the product has none). */
export const productImageSchema = z.object({
  id: z.uuid(),
  state: z.enum(PRODUCT_IMAGE_STATES),
  /** Ready images only: where members of the tenant read the thumbnail (with their bearer token), relative to the origin. */
  thumbnailUrl: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  failureCode: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.iso.datetime(),
});
export type ProductImageDto = z.infer<typeof productImageSchema>;

export const requestedImageSchema = z.object({ image: productImageSchema, upload: uploadTargetSchema });

/** `v` is the image id: a new image is a new URL, so a browser may cache one for good. */
export const thumbnailQuery = z.strictObject({ v: z.uuid().optional() });
