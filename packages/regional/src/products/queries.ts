import { and, asc, eq, gt, ilike, or } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { productImages, products } from '../schema.ts';
import type { ProductRow, ProductWithImage } from './product-row.ts';
import type { ProductFilters } from './schemas.ts';

/** One page (plus one row, for `toPage`) of the tenant's products in creation order. */
export async function listProducts(
  tx: TenantTransaction,
  tenantId: string,
  page: { limit: number; after?: string | undefined },
  filters: ProductFilters,
): Promise<ProductWithImage[]> {
  const pattern = filters.q ? `%${escapeLike(filters.q)}%` : undefined;
  const rows = await tx
    .select({ product: products, image: productImages })
    .from(products)
    .leftJoin(productImages, imageOf)
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
  return rows.map(({ product, image }) => ({ ...product, image }));
}

/** The product with its image, if it has one (in the same statement). */
export async function findProductWithImage(tx: TenantTransaction, tenantId: string, productId: string): Promise<ProductWithImage | undefined> {
  const [row] = await tx
    .select({ product: products, image: productImages })
    .from(products)
    .leftJoin(productImages, imageOf)
    .where(and(eq(products.tenantId, tenantId), eq(products.id, productId)));
  return row && { ...row.product, image: row.image };
}

const imageOf = and(eq(productImages.tenantId, products.tenantId), eq(productImages.productId, products.id));

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
