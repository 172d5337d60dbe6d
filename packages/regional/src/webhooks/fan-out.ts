import { and, arrayContains, eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendToOutbox, defineConsumer, type ConsumerDefinition } from '@keel/kernel';
import { webhookEndpoints } from './schema.ts';
import { WEBHOOK_DELIVERY_EVENT, WEBHOOK_EVENT_TYPES, type WebhookDeliveryJob } from './webhook-events.ts';

export const WEBHOOK_FAN_OUT_CONSUMER = 'webhook-fan-out';
export const WEBHOOK_DELIVERY_CONSUMER = 'webhook-delivery';

/**
 * One delivery job per active endpoint subscribed to the event's type, appended to the outbox in
 * the transaction of this consumer's ledger row: a redelivered event fans out once (WHK-010). Each
 * job targets the delivery consumer only and carries the event's own id, the id receivers see.
 */
export const webhookFanOut: ConsumerDefinition<Record<string, unknown>> = defineConsumer({
  name: WEBHOOK_FAN_OUT_CONSUMER,
  queue: 'webhooks',
  eventTypes: WEBHOOK_EVENT_TYPES,
  payload: z.record(z.string(), z.unknown()),
  async handle({ tx, tenantId, envelope }) {
    const targets = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.status, 'active'), arrayContains(webhookEndpoints.eventTypes, [envelope.type])));
    const event = { id: envelope.eventId, type: envelope.type, occurredAt: envelope.occurredAt, data: envelope.payload };
    await appendToOutbox(
      tx,
      tenantId,
      targets.map((target) => ({ type: WEBHOOK_DELIVERY_EVENT, consumer: WEBHOOK_DELIVERY_CONSUMER, payload: { endpointId: target.id, event } satisfies WebhookDeliveryJob })),
    );
  },
});
