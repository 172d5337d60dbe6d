import { bigserial, customType, index, pgTable, timestamp } from 'drizzle-orm/pg-core';

export const REALTIME_ATTACHMENTS_TABLE = 'realtime_attachments';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * The PostgreSQL real-time adapter's large or binary payloads (over NOTIFY's 8,000 bytes), read
 * once by the other instances and deleted by the adapter after 30 s. A system table of the worker
 * role, and the one place where the worker role may see a little tenant data: an event in transit
 * (room names, order numbers and statuses, the subjects of who changed an order or is present),
 * for at most 30 s. The Redis Streams adapter keeps the same in Redis.
 */
export const realtimeAttachments = pgTable(
  REALTIME_ATTACHMENTS_TABLE,
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    payload: bytea('payload').notNull(),
  },
  (table) => [index('realtime_attachments_created_at_idx').on(table.createdAt)],
);
