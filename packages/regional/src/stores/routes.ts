import { z } from 'zod';
import { toPage, type Clock, type HttpApp, type WithTenant } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import { StoreNotFoundError } from './errors.ts';
import { createStore } from './create-store.ts';
import { deleteStore } from './delete-store.ts';
import { findStoreWithFigures, listStores, toStoreWithFiguresDto } from './queries.ts';
import { renameStore } from './rename-store.ts';
import {
  createStoreBody,
  deleteStoreQuery,
  listStoresQuery,
  renameStoreBody,
  storePage,
  storeParams,
  storeSchema,
  storeWithFiguresSchema,
} from './schemas.ts';
import { toStoreDto } from './store-row.ts';

const tags = ['stores'];

export function storeRoutes(app: HttpApp, deps: { withTenant: WithTenant; clock: Clock }): void {
  const { withTenant, clock } = deps;
  const adminsOnly = requireRole('admin');

  app.get('/stores', { schema: { tags, querystring: listStoresQuery, response: { 200: storePage } } }, async (request) => {
    const { limit, cursor } = request.query;
    const now = clock.now();
    const rows = await withTenant((tx, tenantId) => listStores(tx, tenantId, { limit, after: cursor, now }));
    const page = toPage(rows, limit);
    return { items: page.items.map(toStoreWithFiguresDto), nextCursor: page.nextCursor };
  });

  app.post('/stores', { preHandler: adminsOnly, schema: { tags, body: createStoreBody, response: { 201: storeSchema } } }, async (request, reply) => {
    const row = await createStore(withTenant, request.body, clock.now());
    return reply.status(201).send(toStoreDto(row));
  });

  app.get('/stores/:storeId', { schema: { tags, params: storeParams, response: { 200: storeWithFiguresSchema } } }, async (request) => {
    const now = clock.now();
    const row = await withTenant((tx, tenantId) => findStoreWithFigures(tx, tenantId, request.params.storeId, now));
    if (!row) throw new StoreNotFoundError();
    return toStoreWithFiguresDto(row);
  });

  app.patch(
    '/stores/:storeId',
    { preHandler: adminsOnly, schema: { tags, params: storeParams, body: renameStoreBody, response: { 200: storeSchema } } },
    async (request) => toStoreDto(await renameStore(withTenant, request.params.storeId, request.body)),
  );

  app.delete(
    '/stores/:storeId',
    { preHandler: adminsOnly, schema: { tags, params: storeParams, querystring: deleteStoreQuery, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteStore(withTenant, request.params.storeId, request.query);
      return reply.status(204).send(null);
    },
  );
}
