import { CENTRAL_EVENT_TYPES, tenantCreatedPayload } from '@keel/central/contracts';
import { tenants } from '../schema.ts';
import { defineCentralEventConsumer } from '../central-feed/define-central-event-consumer.ts';

/**
 * Creates the region's copy of a tenant from central's `tenant.created`; until then the region
 * answers that tenant's writes with TENANT_PROVISIONING.
 */
export const provisionTenant = defineCentralEventConsumer({
  name: 'tenant-provisioning',
  eventType: CENTRAL_EVENT_TYPES.tenantCreated,
  payload: tenantCreatedPayload,
  async handle({ tx, tenantId, payload }) {
    await tx
      .insert(tenants)
      .values({ tenantId, name: payload.name, currency: payload.currency, timezone: payload.timezone })
      .onConflictDoUpdate({ target: tenants.tenantId, set: { name: payload.name, currency: payload.currency, timezone: payload.timezone } });
  },
});
