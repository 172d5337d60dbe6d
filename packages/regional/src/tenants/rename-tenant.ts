import { eq } from 'drizzle-orm';
import { CENTRAL_EVENT_TYPES, tenantRenamedPayload } from '@keel/central/contracts';
import { defineCentralEventConsumer } from '../central-feed/define-central-event-consumer.ts';
import { tenants } from '../schema.ts';

/** Keeps the region's copy of a tenant's name in step with central's `tenant.renamed`. */
export const renameTenant = defineCentralEventConsumer({
  name: 'tenant-renaming',
  eventType: CENTRAL_EVENT_TYPES.tenantRenamed,
  payload: tenantRenamedPayload,
  async handle({ tx, tenantId, payload }) {
    await tx.update(tenants).set({ name: payload.name, updatedAt: new Date() }).where(eq(tenants.tenantId, tenantId));
  },
});
