import { and, eq } from 'drizzle-orm';
import type { WithTenant } from '@keel/kernel';
import { products } from '../schema.ts';
import { PRODUCT_EVENT_TYPES, emitProductEvent } from './product-events.ts';
import { rethrowProductWriteError, versionMiss } from './product-write-errors.ts';
import { discardImage } from './images/delete-image.ts';

/**
 * Deletes the product at the version the client read. A product on any order line stays: the
 * lines' foreign key refuses the delete (PRODUCT_IN_USE), also against an order being created now.
 */
export async function deleteProduct(withTenant: WithTenant, productId: string, input: { version: number }): Promise<void> {
  try {
    await withTenant(async (tx, tenantId) => {
      // The image row goes first, so its files go through the outbox once this commits; a refused delete rolls it back.
      await discardImage(tx, tenantId, productId);
      const [deleted] = await tx
        .delete(products)
        .where(and(eq(products.tenantId, tenantId), eq(products.id, productId), eq(products.version, input.version)))
        .returning();
      if (!deleted) throw await versionMiss(tx, tenantId, productId);
      await emitProductEvent(tx, PRODUCT_EVENT_TYPES.deleted, { ...deleted, version: deleted.version + 1 });
    });
  } catch (error) {
    return rethrowProductWriteError(error);
  }
}
