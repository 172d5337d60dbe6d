import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Database, TenantTransaction } from '@keel/kernel';
import { presence } from './schema.ts';

export type Activity = (typeof presence.activity.enumValues)[number];

/** One subject in a room: `editing` when any of its sockets there edits. */
export interface PresenceMember {
  subject: string;
  activity: Activity;
}

export interface PresenceEntry {
  room: string;
  socketId: string;
  subject: string;
  activity: Activity;
  expiresAt: Date;
}

/**
 * Writes the socket's entry in the room (new, or a heartbeat moving its expiry on). True when the
 * room's list may have changed: the entry is new (or had expired) or its activity changed.
 */
export async function upsertEntry(tx: TenantTransaction, tenantId: string, entry: PresenceEntry, now: Date): Promise<boolean> {
  // The CTE reads the row as it was before the statement: its activity while it was still alive.
  const { rows } = await tx.execute<{ previous: Activity | null }>(sql`
    with previous as (
      select activity from presence
       where tenant_id = ${tenantId} and room = ${entry.room} and socket_id = ${entry.socketId} and expires_at > ${now}
    )
    insert into presence (tenant_id, room, socket_id, subject, activity, expires_at)
    values (${tenantId}, ${entry.room}, ${entry.socketId}, ${entry.subject}, ${entry.activity}, ${entry.expiresAt})
    on conflict (tenant_id, room, socket_id) do update set activity = excluded.activity, expires_at = excluded.expires_at
    returning (select activity from previous) as previous`);
  return rows[0]?.previous !== entry.activity;
}

/** Who is in each of `rooms` now, by subject (ordered), one statement. */
export async function membersOf(tx: TenantTransaction, tenantId: string, rooms: readonly string[], now: Date): Promise<Map<string, PresenceMember[]>> {
  const rows = await tx
    .select({ room: presence.room, subject: presence.subject, editing: sql<boolean>`bool_or(${presence.activity} = 'editing')` })
    .from(presence)
    .where(and(eq(presence.tenantId, tenantId), inArray(presence.room, [...rooms]), gt(presence.expiresAt, now)))
    .groupBy(presence.room, presence.subject)
    .orderBy(presence.room, presence.subject);
  const members = new Map<string, PresenceMember[]>(rooms.map((room) => [room, []]));
  for (const row of rows) members.get(row.room)?.push({ subject: row.subject, activity: row.editing ? 'editing' : 'viewing' });
  return members;
}

/** Deletes the socket's entries (all of them, or the one in `room`); answers the rooms they were in. */
export async function deleteEntriesOf(tx: TenantTransaction, tenantId: string, socketId: string, room?: string): Promise<string[]> {
  const rows = await tx
    .delete(presence)
    .where(and(eq(presence.tenantId, tenantId), eq(presence.socketId, socketId), room === undefined ? undefined : eq(presence.room, room)))
    .returning({ room: presence.room });
  return [...new Set(rows.map((row) => row.room))];
}

/** Deletes the entries of `rooms` that expired by `now`; answers the rooms that had one. */
export async function deleteExpired(tx: TenantTransaction, tenantId: string, rooms: readonly string[], now: Date): Promise<string[]> {
  const rows = await tx
    .delete(presence)
    .where(and(eq(presence.tenantId, tenantId), inArray(presence.room, [...rooms]), lte(presence.expiresAt, now)))
    .returning({ room: presence.room });
  return [...new Set(rows.map((row) => row.room))];
}

/** The worker role's view across tenants: which tenants' rooms have expired entries (no subject, no socket). */
export async function roomsWithExpiredEntries(workerDatabase: Database, now: Date, limit: number): Promise<Map<string, string[]>> {
  const rows = await workerDatabase.selectDistinct({ tenantId: presence.tenantId, room: presence.room }).from(presence).where(lte(presence.expiresAt, now)).limit(limit);
  const byTenant = new Map<string, string[]>();
  for (const row of rows) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row.room]);
  return byTenant;
}
