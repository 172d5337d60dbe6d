import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An organization is a tenant: its id is the `tenant_id` every region uses; its data lives in its home region. */
export const organizations = pgTable('organizations', {
  id: uuid('id').default(sql`pg_catalog.gen_random_uuid()`).primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  /** One of the registered `regions` (not a foreign key: organizations/ does not import central's schema.ts, which re-exports it). */
  homeRegion: text('home_region').notNull(),
  /** ISO 4217 code, e.g. `EUR`. */
  currency: text('currency').notNull(),
  /** IANA time zone, e.g. `Europe/Paris`. */
  timezone: text('timezone').notNull(),
  createdAt: at('created_at').defaultNow().notNull(),
});

/** A user's role in an organization; the role goes into the tokens central signs for it. */
export const memberships = pgTable(
  'memberships',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
    createdAt: at('created_at').defaultNow().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.organizationId, table.userId] }),
    index('memberships_user_id_idx').on(table.userId),
    check('memberships_role_check', sql`${table.role} in ('owner', 'admin', 'member')`),
  ],
);
