import { and, eq, sql } from 'drizzle-orm';
import type { WithTenant } from '@keel/kernel';
import { products } from '../schema.ts';
import { tenantSettings } from '../tenants/tenant-settings.ts';
import { PRODUCT_EVENT_TYPES, emitProductEvent } from './product-events.ts';
import { rethrowProductWriteError, versionMiss } from './product-write-errors.ts';
import { toProductDto } from './product-row.ts';
import { findImage } from './images/queries.ts';
import type { ProductDto, UpdateProductInput } from './schemas.ts';

/**
 * Changes the fields given, at the version the client read. Orders are untouched: their lines
 * captured the unit price when they were made.
 */
export async function updateProduct(withTenant: WithTenant, productId: string, input: UpdateProductInput): Promise<ProductDto> {
  const { version, ...changes } = input;
  try {
    return await withTenant(async (tx, tenantId) => {
      const [row] = await tx
        .update(products)
        .set({ ...changes, version: sql`${products.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(products.tenantId, tenantId), eq(products.id, productId), eq(products.version, version)))
        .returning();
      if (!row) throw await versionMiss(tx, tenantId, productId);
      await emitProductEvent(tx, PRODUCT_EVENT_TYPES.changed, row);
      const image = (await findImage(tx, tenantId, productId)) ?? null;
      return toProductDto({ ...row, image }, (await tenantSettings(tx, tenantId)).currency);
    });
  } catch (error) {
    return rethrowProductWriteError(error);
  }
}
