import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The central database: the control plane's own tables. */

/** Regions Keel runs in; a tenant's home region is one of these. */
export const regions = pgTable('regions', {
  id: text('id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Keys that sign access tokens; the public halves are served as central's JWKS. */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  publicJwk: jsonb('public_jwk').notNull(),
  privateJwk: jsonb('private_jwk').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  /** Set when a newer key takes over; the key stays published for an overlap, then goes. */
  retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
});
