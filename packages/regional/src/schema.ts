import { bigint, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The regional database: tenant business data. Every tenant table leads with `tenant_id` (keys,
 * indexes, uniqueness) and is isolated by FORCEd row-level security (see migrations/*_rls.sql).
 * Ids are UUIDv7: time-ordered, so lists page by id.
 */
export { tenants } from './tenants/schema.ts';
export { stores } from './stores/schema.ts';
export { products } from './products/schema.ts';
// Product images (H5).
export { productImages } from './products/images/schema.ts';
export { orderIdempotencyKeys, orderLines, orderNumbers, orders, orderStatusChanges } from './orders/schema.ts';
export { reviews } from './reviews/schema.ts';
export { tenantPlans, usageCounters, usageDaily } from './plans/schema.ts';
// CSV imports and their rejected rows (H3).
export { importRejections, imports } from './imports/schema.ts';
// Outbound webhooks (H4).
export { webhookDeliveries, webhookEndpoints } from './webhooks/schema.ts';
// Real-time presence: who is on a board or an order (H2).
export { presence } from './realtime/presence/schema.ts';
// Real-time: the PostgreSQL adapter's payload table (H1).
export { realtimeAttachments } from './realtime/schema.ts';

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
