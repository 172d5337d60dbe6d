import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The messaging kernel's system tables, declared once here and created by each layer's migrations
 * (the layer's schema.ts re-exports them). They carry `tenant_id` and are under FORCEd row-level
 * security like tenant tables — the app role writes them inside its tenant transaction — and the
 * worker role reaches every tenant's rows through a policy of its own (see the migrations).
 */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Events appended in the same transaction as the change that produced them. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
    /** Only this consumer (a dead-letter replay); null: every consumer subscribed to the type. */
    consumer: text('consumer'),
    publishedAt: timestamptz('published_at'),
  },
  (table) => [
    index('outbox_unpublished_idx').on(table.id).where(sql`${table.publishedAt} is null`),
    // Retention finds published rows that are due without reading the rest (specs/retention.md).
    index('outbox_published_at_idx').on(table.publishedAt).where(sql`${table.publishedAt} is not null`),
  ],
);

/** The idempotency ledger: one row per (consumer, event) whose effect committed. */
export const processedMessages = pgTable(
  'processed_messages',
  {
    tenantId: uuid('tenant_id').notNull(),
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    processedAt: timestamptz('processed_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.consumer, table.eventId] }), index('processed_messages_processed_at_idx').on(table.processedAt)],
);

export const deadLetterStatuses = ['open', 'replayed', 'discarded'] as const;
export type DeadLetterStatus = (typeof deadLetterStatuses)[number];

/** Messages a consumer gave up on after its last attempt, for admins to inspect, replay or discard. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    attempts: integer('attempts').notNull(),
    lastErrorCode: text('last_error_code').notNull(),
    lastErrorAt: timestamptz('last_error_at').notNull(),
    status: text('status', { enum: deadLetterStatuses }).notNull().default('open'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('dead_letters_tenant_id_consumer_event_id_key').on(table.tenantId, table.consumer, table.eventId),
    index('dead_letters_tenant_id_status_idx').on(table.tenantId, table.status),
    check('dead_letters_status_check', sql`${table.status} in ('open', 'replayed', 'discarded')`),
  ],
);
