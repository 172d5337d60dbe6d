import { CENTRAL_EVENT_TYPES, tenantCreatedPayload } from '@keel/central/contracts';
import { MessagePayloadInvalidError, defineConsumer } from '@keel/kernel';
import { tenants } from '../schema.ts';
import { CENTRAL_EVENTS_QUEUE } from '../central-feed/central-events-queue.ts';

/**
 * Creates the region's copy of a tenant from central's `tenant.created`; until then the region
 * answers that tenant's writes with TENANT_PROVISIONING.
 */
export const provisionTenant = defineConsumer({
  name: 'tenant-provisioning',
  queue: CENTRAL_EVENTS_QUEUE,
  eventTypes: [CENTRAL_EVENT_TYPES.tenantCreated],
  payload: tenantCreatedPayload,
  async handle({ tx, tenantId, payload }) {
    if (payload.tenantId !== tenantId) throw new MessagePayloadInvalidError();
    await tx
      .insert(tenants)
      .values({ tenantId, name: payload.name, currency: payload.currency, timezone: payload.timezone })
      .onConflictDoUpdate({ target: tenants.tenantId, set: { name: payload.name, currency: payload.currency, timezone: payload.timezone } });
  },
});
