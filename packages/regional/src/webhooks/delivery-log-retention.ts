import { and, eq, lt } from 'drizzle-orm';
import { deleteDueRows, retentionCutoff, type TenantPurge } from '@keel/kernel';
import { webhookDeliveries } from './schema.ts';

/** The delivery log keeps each attempt `days` days (RET-011); endpoints stay. Added by retention (H5). */
export function webhookDeliveriesPurge(days: number): TenantPurge {
  return {
    scope: 'tenant',
    name: 'webhook-deliveries',
    purge: ({ tx, tenantId, now, limit }) =>
      deleteDueRows(tx, {
        table: webhookDeliveries,
        due: and(eq(webhookDeliveries.tenantId, tenantId), lt(webhookDeliveries.createdAt, retentionCutoff(now, { days })))!,
        oldest: webhookDeliveries.createdAt,
        limit,
      }),
  };
}
