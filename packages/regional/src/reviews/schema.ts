import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { stores } from '../stores/schema.ts';

/** A customer's review of a store. */
export const reviews = pgTable(
  'reviews',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    storeId: uuid('store_id').notNull(),
    rating: smallint('rating').notNull(),
    body: text('body').notNull(),
    authorName: text('author_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('reviews_tenant_id_store_id_id_idx').on(table.tenantId, table.storeId, table.id),
    foreignKey({ columns: [table.tenantId, table.storeId], foreignColumns: [stores.tenantId, stores.id], name: 'reviews_store_fk' }).onDelete('cascade'),
    check('reviews_rating_check', sql`${table.rating} between 1 and 5`),
  ],
);
