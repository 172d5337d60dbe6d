import type { WithTenant } from '@keel/kernel';
import { products } from '../schema.ts';
import { tenantSettings } from '../tenants/tenant-settings.ts';
import { PRODUCT_EVENT_TYPES, emitProductEvent } from './product-events.ts';
import { rethrowProductWriteError } from './product-write-errors.ts';
import { toProductDto } from './product-row.ts';
import type { CreateProductInput, ProductDto } from './schemas.ts';

export async function createProduct(withTenant: WithTenant, input: CreateProductInput): Promise<ProductDto> {
  try {
    return await withTenant(async (tx, tenantId) => {
      const { currency } = await tenantSettings(tx, tenantId);
      const [row] = await tx
        .insert(products)
        .values({ tenantId, sku: input.sku, name: input.name, priceMinor: input.priceMinor, active: input.active ?? true })
        .returning();
      await emitProductEvent(tx, PRODUCT_EVENT_TYPES.created, row!);
      return toProductDto(row!, currency);
    });
  } catch (error) {
    return rethrowProductWriteError(error);
  }
}
