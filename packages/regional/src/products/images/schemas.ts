import { z } from 'zod';
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

/** Where and how the browser sends the file (see StoragePort in the kernel). */
export const imageUploadTargetSchema = z.object({
  method: z.enum(['POST', 'PUT']),
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime(),
  maxBytes: z.number().int(),
});

export const requestedImageSchema = z.object({ image: productImageSchema, upload: imageUploadTargetSchema });

/** The local driver's upload: the signed token is the authority, the bearer token routes it to the region. */
export const receiveImageQuery = z.strictObject({ token: z.string().min(1).max(2_048) });

/** `v` is the image id: a new image is a new URL, so a browser may cache one for good. */
export const thumbnailQuery = z.strictObject({ v: z.uuid().optional() });
