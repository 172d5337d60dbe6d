import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '@keel/kernel';
import { feedEvents } from '../schema.ts';

export type CentralTransaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface CentralEvent {
  type: string;
  tenantId: string | null;
  /** The tenant's home region; null for an event every region needs. */
  region: string | null;
  payload: unknown;
}

/** Any fixed key; it only has to differ from the migrator's. */
const FEED_APPEND_LOCK = 7_305_861_042_914n;

/**
 * Appends events to central's feed inside the transaction of the change. Appends are serialised by
 * a transaction-scoped advisory lock, so positions become visible in order: a reader that has seen
 * position n can never later find a smaller one committed (which a bare sequence would allow).
 * Central's writes are few (tenants, members, plans), so the queueing is cheap.
 */
export async function appendToFeed(tx: CentralTransaction, events: readonly CentralEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${FEED_APPEND_LOCK.toString()}::bigint)`);
  const rows = events.map((event) => ({ eventId: randomUUID(), type: event.type, tenantId: event.tenantId, region: event.region, payload: event.payload }));
  await tx.insert(feedEvents).values(rows);
  return rows.map((row) => row.eventId);
}
