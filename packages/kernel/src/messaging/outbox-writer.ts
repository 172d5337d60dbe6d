import { randomUUID } from 'node:crypto';
import type { TenantTransaction } from '../tenancy/with-tenant.ts';
import { encodeJson, type Envelope } from './envelope.ts';
import { MessageTooLargeError } from './errors.ts';
import { outbox } from './tables.ts';

/** SQS's 256 KiB, less room for the envelope around the payload; the same for every driver. */
export const MAX_PAYLOAD_BYTES = 250 * 1024;

export interface OutgoingEvent {
  type: string;
  payload: Envelope['payload'];
  /** A stable id when the caller has one (a replay); a new one otherwise. */
  eventId?: string;
  /** Only this consumer (a replay); otherwise every consumer subscribed to the type. */
  consumer?: string;
}

/**
 * Appends events to the outbox inside the caller's tenant transaction: they commit or roll back with
 * the change that produced them, and the relay publishes them after commit.
 */
export async function appendToOutbox(tx: TenantTransaction, tenantId: string, events: readonly OutgoingEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  // Refused here, inside the producer's transaction: once in the outbox, an event too large for
  // the transport would stop the relay at it on every pass.
  for (const event of events) {
    if (Buffer.byteLength(encodeJson(event.payload)) > MAX_PAYLOAD_BYTES) throw new MessageTooLargeError();
  }
  const rows = events.map((event) => ({
    tenantId,
    eventId: event.eventId ?? randomUUID(),
    type: event.type,
    payload: event.payload,
    consumer: event.consumer ?? null,
  }));
  await tx.insert(outbox).values(rows);
  return rows.map((row) => row.eventId);
}
