import { SQLSTATE, VersionConflictError, postgresErrorOf, type TenantTransaction } from '@keel/kernel';
import { rethrowUnprovisionedTenant } from '../tenants/provisioning-guard.ts';
import { ProductInUseError, ProductNotFoundError, ProductSkuTakenError } from './errors.ts';
import { findProduct } from './queries.ts';

/** Constraint violations of a product write, as the client's mistakes they are. */
export function rethrowProductWriteError(error: unknown): never {
  if (postgresErrorOf(error, SQLSTATE.uniqueViolation)?.constraint === 'products_tenant_id_sku_key') {
    throw new ProductSkuTakenError({ cause: error });
  }
  // Order lines reference their product (no cascade): deleting a product that was ordered fails.
  if (postgresErrorOf(error, SQLSTATE.foreignKeyViolation)?.constraint === 'order_lines_product_fk') {
    throw new ProductInUseError({ cause: error });
  }
  return rethrowUnprovisionedTenant(error);
}

/** A versioned write matched no row: either the product is gone or someone changed it first. */
export async function versionMiss(tx: TenantTransaction, tenantId: string, productId: string): Promise<Error> {
  return (await findProduct(tx, tenantId, productId)) ? new VersionConflictError() : new ProductNotFoundError();
}
