import type { WithTenant } from '@keel/kernel';
import { ensureRoomFor } from '../plans/plan-limits.ts';
import { recordUsage } from '../plans/usage-meter.ts';
import { stores } from '../schema.ts';
import type { StoreRow } from './store-row.ts';
import { STORE_EVENT_TYPES, emitStoreEvent } from './store-events.ts';
import { rethrowStoreWriteError } from './store-write-errors.ts';

/**
 * One transaction: the plan's room for one more store (402 PLAN_LIMIT_REACHED, SUB-032; counted
 * under the tenant's plan lock, SUB-034), the store, `store.created` and its usage (SUB-038).
 */
export async function createStore(withTenant: WithTenant, input: { name: string }, now: Date): Promise<StoreRow> {
  try {
    return await withTenant(async (tx, tenantId) => {
      await ensureRoomFor(tx, tenantId, 'stores', now);
      const [row] = await tx.insert(stores).values({ tenantId, name: input.name }).returning();
      await emitStoreEvent(tx, STORE_EVENT_TYPES.created, row!);
      await recordUsage(tx, tenantId, 'stores.created');
      return row!;
    });
  } catch (error) {
    return rethrowStoreWriteError(error);
  }
}
