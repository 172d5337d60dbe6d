import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.ts';

/** A tenant's store; names are unique per tenant in any letter case. */
export const stores = pgTable(
  'stores',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.tenantId),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    name: text('name').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('stores_tenant_id_name_key').on(table.tenantId, sql`lower(${table.name})`),
    index('stores_tenant_id_created_at_idx').on(table.tenantId, table.createdAt),
  ],
);
