import { eq } from 'drizzle-orm';
import { CENTRAL_EVENT_TYPES, tenantRenamedPayload } from '@keel/central/contracts';
import { MessagePayloadInvalidError, defineConsumer } from '@keel/kernel';
import { CENTRAL_EVENTS_QUEUE } from '../central-feed/central-events-queue.ts';
import { tenants } from '../schema.ts';

/** Keeps the region's copy of a tenant's name in step with central's `tenant.renamed`. */
export const renameTenant = defineConsumer({
  name: 'tenant-renaming',
  queue: CENTRAL_EVENTS_QUEUE,
  eventTypes: [CENTRAL_EVENT_TYPES.tenantRenamed],
  payload: tenantRenamedPayload,
  async handle({ tx, tenantId, payload }) {
    if (payload.tenantId !== tenantId) throw new MessagePayloadInvalidError();
    await tx.update(tenants).set({ name: payload.name, updatedAt: new Date() }).where(eq(tenants.tenantId, tenantId));
  },
});
