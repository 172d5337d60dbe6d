import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Central's audit log: who did what, when, in which request. `organizationId` is null for events
 * of an account (a sign-in); owners read their organization's entries and the sign-ins of its
 * members. No foreign keys: entries outlive what they mention.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').default(sql`pg_catalog.gen_random_uuid()`).primaryKey(),
    organizationId: uuid('organization_id'),
    /** The user who acted; null when an API key or the system acted. */
    actorUserId: uuid('actor_user_id'),
    actorApiKeyId: uuid('actor_api_key_id'),
    /** e.g. `user.signed_in`, `member.role_changed`, `member.removed`, `api_key.created`. */
    action: text('action').notNull(),
    /** What was acted on and how, e.g. `{userId, from, to}`. */
    details: jsonb('details').notNull().default({}),
    requestId: text('request_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('audit_events_organization_id_occurred_at_idx').on(table.organizationId, table.occurredAt),
    index('audit_events_actor_user_id_occurred_at_idx').on(table.actorUserId, table.occurredAt),
  ],
);
