import { and, asc, eq, gt, ilike, or } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { products } from '../schema.ts';
import type { ProductRow } from './product-row.ts';
import type { ProductFilters } from './schemas.ts';

/** One page (plus one row, for `toPage`) of the tenant's products in creation order. */
export async function listProducts(
  tx: TenantTransaction,
  tenantId: string,
  page: { limit: number; after?: string | undefined },
  filters: ProductFilters,
): Promise<ProductRow[]> {
  const pattern = filters.q ? `%${escapeLike(filters.q)}%` : undefined;
  return tx
    .select()
    .from(products)
    .where(
      and(
        eq(products.tenantId, tenantId),
        page.after === undefined ? undefined : gt(products.id, page.after),
        pattern === undefined ? undefined : or(ilike(products.sku, pattern), ilike(products.name, pattern)),
        filters.active === undefined ? undefined : eq(products.active, filters.active),
      ),
    )
    .orderBy(asc(products.id))
    .limit(page.limit + 1);
}

export async function findProduct(tx: TenantTransaction, tenantId: string, productId: string): Promise<ProductRow | undefined> {
  const [row] = await tx
    .select()
    .from(products)
    .where(and(eq(products.tenantId, tenantId), eq(products.id, productId)));
  return row;
}

/** The user's text matches itself only: `%`, `_` and the escape character `\` lose their LIKE meaning. */
export function escapeLike(text: string): string {
  return text.replaceAll(/[\\%_]/g, (character) => `\\${character}`);
}
