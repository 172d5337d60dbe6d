import { and, eq, sql } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { productImages } from './schema.ts';
import type { ProductImageDto } from './schemas.ts';

export type ProductImageRow = typeof productImages.$inferSelect;

export async function findImage(tx: TenantTransaction, tenantId: string, productId: string, options: { forUpdate?: boolean } = {}): Promise<ProductImageRow | undefined> {
  const query = tx
    .select()
    .from(productImages)
    .where(and(eq(productImages.tenantId, tenantId), eq(productImages.productId, productId)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** Removes the product's image row, if any, and says which image it was (its files are then discarded through the outbox). */
export async function removeImage(tx: TenantTransaction, tenantId: string, productId: string): Promise<ProductImageRow | undefined> {
  const [row] = await tx
    .delete(productImages)
    .where(and(eq(productImages.tenantId, tenantId), eq(productImages.productId, productId)))
    .returning();
  return row;
}

/** The next version and `updated_at`, for every change of an image row. */
export const nextImageVersion = { version: sql`${productImages.version} + 1`, updatedAt: sql`now()` };

export function toImageDto(row: ProductImageRow): ProductImageDto {
  return {
    id: row.id,
    state: row.state,
    thumbnailUrl: row.state === 'ready' ? `/api/v1/products/${row.productId}/image/thumbnail?v=${row.id}` : null,
    width: row.width,
    height: row.height,
    failureCode: row.failureCode,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
