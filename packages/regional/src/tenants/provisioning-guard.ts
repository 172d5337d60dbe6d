import { SQLSTATE, postgresErrorOf } from '@keel/kernel';
import { TenantProvisioningError } from './errors.ts';

/**
 * Tenant tables reference `tenants`; a write for a tenant the region has not provisioned yet fails
 * that foreign key, which means "not here yet", not "bad request".
 */
export function rethrowUnprovisionedTenant(error: unknown): never {
  if (postgresErrorOf(error, SQLSTATE.foreignKeyViolation)?.constraint?.endsWith('_tenant_id_tenants_tenant_id_fk')) {
    throw new TenantProvisioningError({ cause: error, headers: { 'retry-after': '2' } });
  }
  throw error;
}
