import { sql } from 'drizzle-orm';
import { bigint, char, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The regional database: tenant business data. Every tenant table leads with `tenant_id` (keys,
 * indexes, uniqueness) and is isolated by FORCEd row-level security (see migrations/*_rls.sql).
 * Ids are UUIDv7: time-ordered, so lists page by id.
 */
const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/** The region's copy of a tenant, provisioned from central's `tenant.created` event. */
export const tenants = pgTable('tenants', {
  tenantId: uuid('tenant_id').primaryKey(),
  name: text('name').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  timezone: text('timezone').notNull(),
  ...timestamps,
});

export const stores = pgTable(
  'stores',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.tenantId),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    name: text('name').notNull(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('stores_tenant_id_name_key').on(table.tenantId, sql`lower(${table.name})`),
    index('stores_tenant_id_created_at_idx').on(table.tenantId, table.createdAt),
  ],
);

/**
 * Tokens central signed for `subject` in the tenant at or before `revokedAt` (central's clock, as
 * their `iat`) are refused: the member was removed or changed role, or the API key was revoked.
 * Applied from central's `tokens.revoked`; no foreign key to tenants, as SNS may deliver it first.
 */
export const tokenRevocations = pgTable(
  'token_revocations',
  {
    tenantId: uuid('tenant_id').notNull(),
    /** A token's `sub`: a user id, or `apikey:<id>`. */
    subject: text('subject').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }).notNull(),
    reason: text('reason').notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.subject] })],
);

export { deadLetters, outbox, processedMessages } from '@keel/kernel';

/** How far this region has read central's feed (HTTP pull): a system table of the worker role. */
export const feedCursors = pgTable('feed_cursors', {
  feed: text('feed').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
