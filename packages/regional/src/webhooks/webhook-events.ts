import { z } from 'zod';
import { ORDER_EVENT_TYPES } from '../orders/order-events.ts';

/** The events an endpoint may subscribe to: the order events (specs/webhooks.md). */
export const WEBHOOK_EVENT_TYPES = [ORDER_EVENT_TYPES.created, ORDER_EVENT_TYPES.changed, ORDER_EVENT_TYPES.statusChanged] as const;
export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

/** The fan-out's job for one endpoint, sent (through the outbox) to the delivery consumer only. */
export const WEBHOOK_DELIVERY_EVENT = 'webhook.delivery';
export const webhookDeliveryJob = z.object({
  endpointId: z.uuid(),
  event: z.object({ id: z.uuid(), type: z.string(), occurredAt: z.iso.datetime(), data: z.json() }),
});
export type WebhookDeliveryJob = z.infer<typeof webhookDeliveryJob>;

/** What the receiver gets as the body: the event, with the tenant it is about. */
export function webhookBody(tenantId: string, event: WebhookDeliveryJob['event']): string {
  return JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt, tenantId, data: event.data });
}
