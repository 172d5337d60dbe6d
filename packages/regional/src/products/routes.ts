import { z } from 'zod';
import { toPage, type HttpApp } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import type { RegionalApiDependencies } from '../regional-api.ts';
import { tenantSettings } from '../tenants/tenant-settings.ts';
import { createProduct } from './create-product.ts';
import { deleteProduct } from './delete-product.ts';
import { ProductNotFoundError } from './errors.ts';
import { toProductDto } from './product-row.ts';
import { findProductWithImage, listProducts } from './queries.ts';
import { createProductBody, deleteProductQuery, listProductsQuery, productPage, productParams, productSchema, updateProductBody } from './schemas.ts';
import { updateProduct } from './update-product.ts';

const tags = ['products'];

/** The tenant's catalogue: members read it, admins and owners manage it (specs/catalog.md). */
export function productRoutes(app: HttpApp, deps: Pick<RegionalApiDependencies, 'withTenant'>): void {
  const { withTenant } = deps;
  const adminsOnly = requireRole('admin');

  app.get('/products', { schema: { tags, querystring: listProductsQuery, response: { 200: productPage } } }, async (request) => {
    const { limit, cursor, q, active } = request.query;
    return withTenant(async (tx, tenantId) => {
      const page = toPage(await listProducts(tx, tenantId, { limit, after: cursor }, { q, active }), limit);
      // Rows exist only for a provisioned tenant; an empty page needs no currency.
      if (page.items.length === 0) return { items: [], nextCursor: null };
      const { currency } = await tenantSettings(tx, tenantId);
      return { items: page.items.map((row) => toProductDto(row, currency)), nextCursor: page.nextCursor };
    });
  });

  app.post('/products', { preHandler: adminsOnly, schema: { tags, body: createProductBody, response: { 201: productSchema } } }, async (request, reply) => {
    return reply.status(201).send(await createProduct(withTenant, request.body));
  });

  app.get('/products/:productId', { schema: { tags, params: productParams, response: { 200: productSchema } } }, async (request) => {
    return withTenant(async (tx, tenantId) => {
      const row = await findProductWithImage(tx, tenantId, request.params.productId);
      if (!row) throw new ProductNotFoundError();
      return toProductDto(row, (await tenantSettings(tx, tenantId)).currency);
    });
  });

  app.patch(
    '/products/:productId',
    { preHandler: adminsOnly, schema: { tags, params: productParams, body: updateProductBody, response: { 200: productSchema } } },
    async (request) => updateProduct(withTenant, request.params.productId, request.body),
  );

  app.delete(
    '/products/:productId',
    { preHandler: adminsOnly, schema: { tags, params: productParams, querystring: deleteProductQuery, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteProduct(withTenant, request.params.productId, request.query);
      return reply.status(204).send(null);
    },
  );
}
