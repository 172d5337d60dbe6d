import { sql } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';

/**
 * What the region meters per tenant and day (`usage_counters`, read through `usage_by_day`), each counted in the transaction of
 * its effect. `queue.messages` is counted by the database itself: a trigger on the outbox counts
 * every event appended, whoever appends it (migration 0013).
 *
 * Not metered yet: `storage.bytes`, `storage.operations`, `realtime.connection_minutes`,
 * `realtime.messages`.
 */
export const USAGE_METRICS = ['orders.created', 'stores.created', 'queue.messages', 'webhook.deliveries', 'import.rows'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/**
 * Adds `amount` to the tenant's `metric` for the day the transaction runs (the database's `now()`,
 * as `created_at`) in the tenant's time zone. Call it in the transaction of the effect: a change
 * rolled back or refused counts nothing.
 */
export async function recordUsage(tx: TenantTransaction, tenantId: string, metric: Exclude<UsageMetric, 'queue.messages'>, amount = 1): Promise<void> {
  await tx.execute(sql`
    insert into usage_counters (tenant_id, day, metric, shard, value)
    select tenant_id, (now() at time zone timezone)::date, ${metric}, pg_backend_pid() % 64, ${amount} from tenants where tenant_id = ${tenantId}
    on conflict (tenant_id, day, metric, shard) do update set value = usage_counters.value + excluded.value`);
}
