import { z } from 'zod';
import { pageSchema, paginationQuery, plainText } from '@keel/kernel';
import { productImageSchema } from './images/schemas.ts';

/** The highest price, in minor units: sums of many lines stay exact in JS numbers. */
export const MAX_PRICE_MINOR = 100_000_000_000;

const sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'letters, digits, "-", "_" and "." only' });
const productName = plainText({ min: 1, max: 200 });
const priceMinor = z.number().int().min(0).max(MAX_PRICE_MINOR);
const version = z.number().int().min(1).max(2_147_483_647);
/** Query strings carry text; only the query coerces it to a number. */
const queryVersion = z.coerce.number().pipe(version);

export const productSchema = z.object({
  id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  priceMinor: z.number().int(),
  /** ISO 4217: the tenant's currency; `priceMinor` is in its minor units. */
  currency: z.string().length(3),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Its image (CAT-046); null when it has none. */
  image: productImageSchema.nullable(),
});
export type ProductDto = z.infer<typeof productSchema>;

export const productParams = z.strictObject({ productId: z.uuid() });

export const createProductBody = z.strictObject({ sku, name: productName, priceMinor, active: z.boolean().optional() });
export type CreateProductInput = z.infer<typeof createProductBody>;

export const updateProductBody = z
  .strictObject({ version, sku: sku.optional(), name: productName.optional(), priceMinor: priceMinor.optional(), active: z.boolean().optional() })
  .refine((body) => body.sku !== undefined || body.name !== undefined || body.priceMinor !== undefined || body.active !== undefined, {
    message: 'change at least one of sku, name, priceMinor, active',
    params: { rule: 'nothing_to_change' },
  });
export type UpdateProductInput = z.infer<typeof updateProductBody>;

export const deleteProductQuery = z.strictObject({ version: queryVersion });

export const listProductsQuery = z.strictObject({
  ...paginationQuery.shape,
  /** Part of the SKU or the name, in any letter case; empty means no search. */
  q: plainText({ min: 0, max: 200 }).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export type ProductFilters = Pick<z.infer<typeof listProductsQuery>, 'q' | 'active'>;

export const productPage = pageSchema(productSchema);
