import type { products } from '../schema.ts';
import type { ProductDto } from './schemas.ts';

export type ProductRow = typeof products.$inferSelect;

/** A product as the API answers it, with the tenant's currency (`tenantSettings`). */
export function toProductDto(row: ProductRow, currency: string): ProductDto {
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
  };
}
