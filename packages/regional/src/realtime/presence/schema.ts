import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Who is where, one row per socket and presence room (`board`, `store:<id>`, `order:<id>`), shared
 * by every instance of the region. A row lives while its socket sends heartbeats: the socket's
 * disconnect deletes it at once, and a row whose instance died expires at `expires_at` (the region
 * clock's time), when a sweep deletes it. The worker role may read which rooms have expired rows
 * (tenant_id, room, expires_at), nothing else: see the migration.
 */
export const presence = pgTable(
  'presence',
  {
    tenantId: uuid('tenant_id').notNull(),
    room: text('room').notNull(),
    socketId: text('socket_id').notNull(),
    /** The socket's token subject: a user id or `apikey:<id>`. */
    subject: text('subject').notNull(),
    activity: text('activity', { enum: ['viewing', 'editing'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.room, table.socketId] }),
    index('presence_tenant_id_socket_id_idx').on(table.tenantId, table.socketId),
    check('presence_activity_check', sql`${table.activity} in ('viewing', 'editing')`),
  ],
);
