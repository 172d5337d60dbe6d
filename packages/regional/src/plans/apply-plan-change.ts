import { sql } from 'drizzle-orm';
import { TENANT_PLAN_CHANGED, tenantPlanChangedPayload } from '@keel/central/contracts';
import { defineCentralEventConsumer } from '../central-feed/define-central-event-consumer.ts';
import { tenantPlans } from './schema.ts';

/**
 * Keeps the tenant's plan that central publishes (`tenant.plan_changed`), the one the region
 * enforces. Only a higher revision replaces the kept one: a late or repeated delivery changes
 * nothing (SUB-030).
 */
export const applyPlanChange = defineCentralEventConsumer({
  name: 'tenant-plans',
  eventType: TENANT_PLAN_CHANGED,
  payload: tenantPlanChangedPayload,
  async handle({ tx, tenantId, payload }) {
    const plan = { plan: payload.plan, limits: payload.limits, access: payload.access, revision: payload.revision, changedAt: new Date(payload.changedAt) };
    await tx
      .insert(tenantPlans)
      .values({ tenantId, ...plan })
      .onConflictDoUpdate({ target: tenantPlans.tenantId, set: { ...plan, appliedAt: sql`now()` }, setWhere: sql`${tenantPlans.revision} < ${payload.revision}` });
  },
});
