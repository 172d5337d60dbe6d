import { AsyncLocalStorage } from 'node:async_hooks';
import type { QueryStats } from '../db/query-stats.ts';

export type TenantRole = 'owner' | 'admin' | 'member';

/** Who is asking and for which tenant; set at the edge of a request, read by data access and logs. */
export interface RequestContext {
  readonly requestId: string;
  userId?: string;
  tenantId?: string;
  role?: TenantRole;
  readonly queryStats?: QueryStats;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
