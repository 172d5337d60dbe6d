import { eq } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { tenants } from './schema.ts';
import { TenantProvisioningError } from './errors.ts';

export interface TenantSettings {
  /** ISO 4217: every price and total of the tenant is in minor units of it. */
  currency: string;
  /** IANA: the tenant's calendar (this month's revenue, monthly limits). */
  timezone: string;
}

/** The tenant's currency and time zone; 503 TENANT_PROVISIONING while the region has no copy of the tenant yet. */
export async function tenantSettings(tx: TenantTransaction, tenantId: string): Promise<TenantSettings> {
  const [row] = await tx.select({ currency: tenants.currency, timezone: tenants.timezone }).from(tenants).where(eq(tenants.tenantId, tenantId));
  if (!row) throw new TenantProvisioningError({ headers: { 'retry-after': '2' } });
  return row;
}
