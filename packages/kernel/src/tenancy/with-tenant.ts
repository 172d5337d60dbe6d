import { sql } from 'drizzle-orm';
import type { Database } from '../db/pools.ts';
import { currentContext } from './request-context.ts';
import { TenantContextMissingError } from './errors.ts';

export type TenantTransaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** `tenantId` is passed along so queries also filter by it explicitly: RLS is the second wall, not the only one. */
export type WithTenant = <T>(work: (tx: TenantTransaction, tenantId: string) => Promise<T>) => Promise<T>;

/**
 * The one way to touch tenant data: a transaction on the app role's pool with `app.tenant_id`
 * set for that transaction only, so row-level security scopes every statement inside it. Fails
 * closed: without a tenant in the request context nothing runs.
 */
export function createWithTenant(appDatabase: Database): WithTenant {
  return async (work) => {
    const tenantId = currentContext()?.tenantId;
    if (tenantId === undefined) throw new TenantContextMissingError();
    return appDatabase.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
      return work(tx, tenantId);
    });
  };
}
