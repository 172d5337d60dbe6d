import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { webhookDeliveries, webhookEndpoints } from './schema.ts';
import type { WebhookDeliveryDto, WebhookEndpointDto } from './schemas.ts';

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

export const byTenantAndId = (tenantId: string, id: string) => and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id));

export async function listEndpoints(tx: TenantTransaction, tenantId: string, page: { limit: number; after?: string | undefined }): Promise<WebhookEndpointRow[]> {
  return tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), page.after === undefined ? undefined : gt(webhookEndpoints.id, page.after)))
    .orderBy(asc(webhookEndpoints.id))
    .limit(page.limit + 1);
}

export async function findEndpoint(tx: TenantTransaction, tenantId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  const [row] = await tx.select().from(webhookEndpoints).where(byTenantAndId(tenantId, id));
  return row;
}

/** The endpoint's attempts, newest first; `after` is the last id of the previous page. */
export async function listDeliveries(tx: TenantTransaction, tenantId: string, endpointId: string, page: { limit: number; after?: string | undefined }): Promise<WebhookDeliveryRow[]> {
  return tx
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.endpointId, endpointId),
        page.after === undefined ? undefined : lt(webhookDeliveries.id, page.after),
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(page.limit + 1);
}

export function toEndpointDto(row: WebhookEndpointRow): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    status: row.status,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDeliveryDto(row: WebhookDeliveryRow): WebhookDeliveryDto {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    attempt: row.attempt,
    outcome: row.outcome,
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    errorCode: row.errorCode,
    createdAt: row.createdAt.toISOString(),
  };
}
