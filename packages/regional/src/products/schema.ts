import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.ts';

/** A product a tenant sells; prices are integers in minor units of the tenant's currency. */
export const products = pgTable(
  'products',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.tenantId),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    priceMinor: bigint('price_minor', { mode: 'number' }).notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('products_tenant_id_sku_key').on(table.tenantId, sql`lower(${table.sku})`),
    index('products_tenant_id_name_idx').on(table.tenantId, sql`lower(${table.name})`),
    check('products_price_minor_check', sql`${table.priceMinor} >= 0`),
  ],
);
