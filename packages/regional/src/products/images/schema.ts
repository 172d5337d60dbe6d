import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { products } from '../schema.ts';

/** awaiting_upload → processing → ready | failed (specs/catalog.md, CAT-040…). */
export const PRODUCT_IMAGE_STATES = ['awaiting_upload', 'processing', 'ready', 'failed'] as const;
export type ProductImageState = (typeof PRODUCT_IMAGE_STATES)[number];

/**
 * A product's image: at most one per product. Each upload is a new image (`id`), whose files live
 * under `tenants/<tenant>/product-images/<id>/`, so a thumbnail made for a replaced image never
 * passes for the new one. Deleting the product deletes the row (its files go through the outbox).
 */
export const productImages = pgTable(
  'product_images',
  {
    tenantId: uuid('tenant_id').notNull(),
    productId: uuid('product_id').notNull(),
    id: uuid('id').notNull(),
    state: text('state', { enum: PRODUCT_IMAGE_STATES }).notNull().default('awaiting_upload'),
    /** What the admin declared; the worker checks the stored object itself. */
    contentType: text('content_type').notNull(),
    declaredBytes: bigint('declared_bytes', { mode: 'number' }).notNull(),
    /** The original's size in pixels, once decoded. */
    width: integer('width'),
    height: integer('height'),
    /** Why the image could not be used (UPLOAD_TOO_LARGE, UPLOAD_TYPE_NOT_ALLOWED, PRODUCT_IMAGE_INVALID). */
    failureCode: text('failure_code'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.productId] }),
    foreignKey({ name: 'product_images_product_fk', columns: [table.tenantId, table.productId], foreignColumns: [products.tenantId, products.id] }).onDelete('cascade'),
    check('product_images_state_check', sql`${table.state} in ('awaiting_upload', 'processing', 'ready', 'failed')`),
    check('product_images_failed_check', sql`(${table.state} = 'failed') = (${table.failureCode} is not null)`),
  ],
);
