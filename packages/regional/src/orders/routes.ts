import type { FastifyRequest } from 'fastify';
import { toPage, type HttpApp } from '@keel/kernel';
import type { RegionalApiDependencies } from '../regional-api.ts';
import { changeOrderNotes, changeOrderStatus } from './change-order.ts';
import { createOrder } from './create-order.ts';
import { listOrders } from './list-orders.ts';
import { loadOrderDetail } from './order-detail.ts';
import {
  changeNotesBody,
  changeStatusBody,
  createOrderBody,
  createOrderHeaders,
  listOrdersQuery,
  orderDetailSchema,
  orderPage,
  orderParams,
} from './schemas.ts';

const tags = ['orders'];

/** Orders: every member may read them, create them and work on them (specs/tenancy.md, role table). */
export function orderRoutes(app: HttpApp, deps: RegionalApiDependencies): void {
  const { withTenant } = deps;

  app.get('/orders', { schema: { tags, querystring: listOrdersQuery, response: { 200: orderPage } } }, async (request) => {
    const rows = await withTenant((tx, tenantId) => listOrders(tx, tenantId, request.query));
    return toPage(rows, request.query.limit);
  });

  app.post(
    '/orders',
    { schema: { tags, headers: createOrderHeaders, body: createOrderBody, response: { 200: orderDetailSchema, 201: orderDetailSchema } } },
    async (request, reply) => {
      const { order, created } = await createOrder(withTenant, {
        body: request.body,
        subject: subjectOf(request),
        idempotencyKey: request.headers['idempotency-key'],
        now: deps.clock.now(),
      });
      return reply.status(created ? 201 : 200).send(order);
    },
  );

  app.get('/orders/:orderId', { schema: { tags, params: orderParams, response: { 200: orderDetailSchema } } }, async (request) =>
    withTenant((tx, tenantId) => loadOrderDetail(tx, tenantId, request.params.orderId)),
  );

  app.post(
    '/orders/:orderId/status',
    { schema: { tags, params: orderParams, body: changeStatusBody, response: { 200: orderDetailSchema } } },
    async (request) => changeOrderStatus(withTenant, request.params.orderId, { ...request.body, subject: subjectOf(request) }),
  );

  app.patch(
    '/orders/:orderId',
    { schema: { tags, params: orderParams, body: changeNotesBody, response: { 200: orderDetailSchema } } },
    async (request) => changeOrderNotes(withTenant, request.params.orderId, { ...request.body, subject: subjectOf(request) }),
  );
}

/** The verified token's `sub` (a user id or `apikey:<id>`); authentication sets it before any route runs. */
export function subjectOf(request: FastifyRequest): string {
  const subject = request.keelContext.userId;
  if (subject === undefined) throw new Error('an authenticated request without a subject');
  return subject;
}
