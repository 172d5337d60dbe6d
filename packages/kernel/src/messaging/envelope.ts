import { z } from 'zod';

/**
 * What travels on every queue: a domain event with a stable id. The id is the idempotency key:
 * consumers record it in their ledger, and receivers outside Keel (webhooks) deduplicate on it.
 */
export const envelopeSchema = z.object({
  eventId: z.uuid(),
  /** `order.created`, `tenant.created`, … */
  type: z.string().min(1).max(200),
  /** The tenant whose data the event is about; null for system events. */
  tenantId: z.uuid().nullable(),
  occurredAt: z.iso.datetime(),
  payload: z.json(),
  /** 1 on first delivery; the consumer runtime increments it when it schedules a retry. */
  attempt: z.number().int().min(1),
  /** Set on a retry or a replay: only this consumer of the queue handles it. */
  consumer: z.string().min(1).optional(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** A stored event (an outbox row, a row of central's feed) as it travels, on its first delivery. */
export function envelopeOfStoredEvent(row: {
  eventId: string;
  type: string;
  tenantId: string | null;
  occurredAt: Date;
  payload: unknown;
  consumer?: string | null;
}): Envelope {
  return {
    eventId: row.eventId,
    type: row.type,
    tenantId: row.tenantId,
    occurredAt: row.occurredAt.toISOString(),
    payload: row.payload as Envelope['payload'],
    attempt: 1,
    ...(row.consumer ? { consumer: row.consumer } : {}),
  };
}

export function parseEnvelope(body: string): Envelope {
  return envelopeSchema.parse(JSON.parse(body));
}

/**
 * The envelope as JSON for AWS transports. SQS (and SNS delivering to it) refuses U+FFFE and U+FFFF
 * in a body — JSON.stringify already escapes control characters and lone surrogates — so they
 * travel as `\uffff` escapes, which parse back the same.
 */
export function encodeEnvelope(envelope: Envelope): string {
  return encodeJson(envelope);
}

/** JSON as the AWS transports carry it (see encodeEnvelope); also how payload sizes are measured. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}
