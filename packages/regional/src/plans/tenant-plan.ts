import { eq } from 'drizzle-orm';
import { SubscriptionEndedError, planLimitsSchema, type PlanId, type PlanLimits } from '@keel/central/contracts';
import type { TenantTransaction } from '@keel/kernel';
import { TenantProvisioningError } from '../tenants/errors.ts';
import { tenantPlans } from './schema.ts';

export interface TenantPlan {
  plan: PlanId;
  limits: PlanLimits;
  access: 'active' | 'ended';
}

/**
 * The tenant's plan as the region last applied it, its row locked until the transaction ends:
 * creations of one tenant that a limit counts run one after the other from here, so each counts
 * what the previous one committed (SUB-034). 503 TENANT_PROVISIONING until central's first
 * `tenant.plan_changed` for the tenant is applied (central publishes it right after
 * `tenant.created`: SUB-035); SUBSCRIPTION_ENDED when access ended (authentication refused the
 * request already, unless the plan changed in between).
 */
export async function lockTenantPlan(tx: TenantTransaction, tenantId: string): Promise<TenantPlan> {
  const [row] = await tx
    .select({ plan: tenantPlans.plan, limits: tenantPlans.limits, access: tenantPlans.access })
    .from(tenantPlans)
    .where(eq(tenantPlans.tenantId, tenantId))
    .for('update');
  if (!row) throw new TenantProvisioningError({ headers: { 'retry-after': '2' } });
  if (row.access === 'ended') throw new SubscriptionEndedError();
  return { plan: row.plan as PlanId, limits: planLimitsSchema.parse(row.limits), access: row.access };
}
