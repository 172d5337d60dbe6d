import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organizations } from '../organizations/schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A tenant-scoped API key: shown once at creation, stored as the SHA-256 of the whole key (it is
 * high-entropy random, so a slow hash adds nothing). Exchanged at `POST /api/central/tokens` for
 * the same short-lived access token a member gets, with `sub` = `apikey:<id>` and the key's role.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').default(sql`pg_catalog.gen_random_uuid()`).primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'member'] }).notNull(),
    keyHash: text('key_hash').notNull().unique(),
    /** The first characters of the key, to tell keys apart in a list. */
    prefix: text('prefix').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: at('created_at').defaultNow().notNull(),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
  },
  (table) => [index('api_keys_organization_id_idx').on(table.organizationId), check('api_keys_role_check', sql`${table.role} in ('admin', 'member')`)],
);
