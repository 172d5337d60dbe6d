import { z } from 'zod';
import { noBody, toPage, type Clock, type HttpApp, type WithTenant } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import { changeEndpoint, deleteEndpoint, rotateEndpointSecret } from './change-endpoint.ts';
import { WebhookEndpointNotFoundError } from './errors.ts';
import { findEndpoint, listDeliveries, listEndpoints, toDeliveryDto, toEndpointDto } from './queries.ts';
import { registerEndpoint } from './register-endpoint.ts';
import {
  changeEndpointBody,
  deleteEndpointQuery,
  deliveryPage,
  endpointPage,
  endpointParams,
  listDeliveriesQuery,
  listEndpointsQuery,
  registerEndpointBody,
  webhookEndpointSchema,
  webhookEndpointWithSecret,
} from './schemas.ts';
import type { Webhooks } from './webhooks.ts';

const tags = ['webhooks'];

/** Admins' webhook endpoints and their delivery logs (specs/webhooks.md). */
export function webhookRoutes(app: HttpApp, deps: { withTenant: WithTenant; clock: Clock; webhooks: Webhooks }): void {
  const { withTenant, clock, webhooks } = deps;
  const preHandler = requireRole('admin');

  app.get('/webhooks', { preHandler, schema: { tags, querystring: listEndpointsQuery, response: { 200: endpointPage } } }, async (request) => {
    const { limit, cursor } = request.query;
    const page = toPage(await withTenant((tx, tenantId) => listEndpoints(tx, tenantId, { limit, after: cursor })), limit);
    return { items: page.items.map(toEndpointDto), nextCursor: page.nextCursor };
  });

  app.post('/webhooks', { preHandler, schema: { tags, body: registerEndpointBody, response: { 201: webhookEndpointWithSecret } } }, async (request, reply) => {
    const { endpoint, secret } = await registerEndpoint(withTenant, { secretBox: webhooks.secretBox, policy: webhooks.policy, now: clock.now() }, request.body);
    return reply.status(201).send({ ...toEndpointDto(endpoint), secret });
  });

  app.get('/webhooks/:endpointId', { preHandler, schema: { tags, params: endpointParams, response: { 200: webhookEndpointSchema } } }, async (request) => {
    const row = await withTenant((tx, tenantId) => findEndpoint(tx, tenantId, request.params.endpointId));
    if (!row) throw new WebhookEndpointNotFoundError();
    return toEndpointDto(row);
  });

  app.patch(
    '/webhooks/:endpointId',
    { preHandler, schema: { tags, params: endpointParams, body: changeEndpointBody, response: { 200: webhookEndpointSchema } } },
    async (request) => toEndpointDto(await changeEndpoint(withTenant, request.params.endpointId, request.body)),
  );

  app.delete(
    '/webhooks/:endpointId',
    { preHandler, schema: { tags, params: endpointParams, querystring: deleteEndpointQuery, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteEndpoint(withTenant, request.params.endpointId, request.query);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/webhooks/:endpointId/rotate-secret',
    { preHandler, schema: { tags, params: endpointParams, body: noBody, response: { 200: webhookEndpointWithSecret } } },
    async (request) => {
      const deps = { secretBox: webhooks.secretBox, overlapMs: webhooks.secretRotationOverlapMs, now: clock.now() };
      const { endpoint, secret } = await rotateEndpointSecret(withTenant, deps, request.params.endpointId);
      return { ...toEndpointDto(endpoint), secret };
    },
  );

  app.get(
    '/webhooks/:endpointId/deliveries',
    { preHandler, schema: { tags, params: endpointParams, querystring: listDeliveriesQuery, response: { 200: deliveryPage } } },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await withTenant(async (tx, tenantId) => {
        if (!(await findEndpoint(tx, tenantId, request.params.endpointId))) throw new WebhookEndpointNotFoundError();
        return listDeliveries(tx, tenantId, request.params.endpointId, { limit, after: cursor });
      });
      const page = toPage(rows, limit);
      return { items: page.items.map(toDeliveryDto), nextCursor: page.nextCursor };
    },
  );
}
