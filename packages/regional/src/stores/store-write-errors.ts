import { SQLSTATE, VersionConflictError, postgresErrorOf, type TenantTransaction } from '@keel/kernel';
import { rethrowUnprovisionedTenant } from '../tenants/provisioning-guard.ts';
import { StoreNameTakenError, StoreNotFoundError } from './errors.ts';
import { findStore } from './queries.ts';

export function rethrowStoreWriteError(error: unknown): never {
  if (postgresErrorOf(error, SQLSTATE.uniqueViolation)?.constraint === 'stores_tenant_id_name_key') {
    throw new StoreNameTakenError({ cause: error });
  }
  return rethrowUnprovisionedTenant(error);
}

/** A versioned write matched no row: either the store is gone or someone changed it first. */
export async function versionMiss(tx: TenantTransaction, tenantId: string, storeId: string): Promise<Error> {
  return (await findStore(tx, tenantId, storeId)) ? new VersionConflictError() : new StoreNotFoundError();
}
