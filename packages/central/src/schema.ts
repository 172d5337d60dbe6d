import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The central database: the control plane's own tables. */

/** Regions Keel runs in; a tenant's home region is one of these. */
export const regions = pgTable('regions', {
  id: text('id').primaryKey(),
  /** SHA-256 of the secret the region presents to the feed; null: the region cannot read it. */
  credentialHash: text('credential_hash'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Keys that sign access tokens; the public halves are served as central's JWKS. Exactly one key
 * is active (not retired) at a time.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    publicJwk: jsonb('public_jwk').notNull(),
    privateJwk: jsonb('private_jwk').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Set when a newer key takes over; the key then signs nothing more. */
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
    /** A retired key stays in the JWKS until then (retirement plus the overlap), then goes. */
    publishedUntil: timestamp('published_until', { withTimezone: true, mode: 'date' }),
  },
  (table) => [uniqueIndex('signing_keys_one_active_idx').on(sql`(true)`).where(sql`${table.retiredAt} is null`)],
);

/**
 * Central's event feed: domain events appended in the same transaction as central's change, read
 * by each region from its own cursor (HTTP pull) or relayed to SNS. `region` null: every region.
 */
export const feedEvents = pgTable(
  'feed_events',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    type: text('type').notNull(),
    tenantId: uuid('tenant_id'),
    region: text('region'),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Set by the SNS relay once published (FEED_DRIVER=sns); unused with HTTP pull. */
    snsPublishedAt: timestamp('sns_published_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('feed_events_region_position_idx').on(table.region, table.position),
    index('feed_events_sns_unpublished_idx').on(table.position).where(sql`${table.snsPublishedAt} is null`),
  ],
);

/** better-auth's tables (accounts and sessions). */
export * from './identity/schema.ts';

/** Organizations (tenants) and their members. */
export * from './organizations/schema.ts';

/** Invitations to organizations. */
export * from './members/schema.ts';

/** Tenant-scoped API keys. */
export * from './api-keys/schema.ts';

/** Central's audit log. */
export * from './audit/schema.ts';

/** Sign-in rate limiting. */
export * from './identity/rate-limit-schema.ts';

/** Plans, subscriptions and the regions' usage reports. */
export * from './subscriptions/schema.ts';
