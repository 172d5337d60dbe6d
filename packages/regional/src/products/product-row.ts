import type { products } from '../schema.ts';
import { toImageDto, type ProductImageRow } from './images/queries.ts';
import type { ProductDto } from './schemas.ts';

export type ProductRow = typeof products.$inferSelect;
/** A product read with its image (null: it has none). */
export type ProductWithImage = ProductRow & { image: ProductImageRow | null };

/** A product as the API answers it, with the tenant's currency (`tenantSettings`) and its image (none when not read). */
export function toProductDto(row: ProductRow & { image?: ProductImageRow | null }, currency: string): ProductDto {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    priceMinor: row.priceMinor,
    currency,
    active: row.active,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    image: row.image ? toImageDto(row.image) : null,
  };
}
