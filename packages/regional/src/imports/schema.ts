import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.ts';

export const IMPORT_KINDS = ['products-csv', 'orders-csv'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** awaiting_upload → queued → processing → done | failed (specs/uploads.md). */
export const IMPORT_STATES = ['awaiting_upload', 'queued', 'processing', 'done', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/**
 * A CSV import: the uploaded file (`storage_key`), its state and progress, and the checkpoint the
 * worker resumes from after a crash — the byte offset of the next unread row and how many data rows
 * precede it. `finished_at` is set once, when the state becomes `done` or `failed`.
 */
export const imports = pgTable(
  'imports',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.tenantId),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    kind: text('kind', { enum: IMPORT_KINDS }).notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    declaredBytes: bigint('declared_bytes', { mode: 'number' }).notNull(),
    storageKey: text('storage_key').notNull(),
    state: text('state', { enum: IMPORT_STATES }).notNull().default('awaiting_upload'),
    /** 0–100: bytes of the file read and committed. */
    progress: integer('progress').notNull().default(0),
    rowsImported: integer('rows_imported').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    /** Data rows (header excluded) committed so far; the next batch starts after them. */
    checkpointRow: integer('checkpoint_row').notNull().default(0),
    /** Byte offset in the file of the first row after the checkpoint. */
    checkpointByte: bigint('checkpoint_byte', { mode: 'number' }).notNull().default(0),
    /** The header row, read once by the first batch. */
    columns: jsonb('columns').$type<string[]>(),
    /** The code of a failed import (UPLOAD_TOO_LARGE, IMPORT_HEADER_INVALID …). */
    failureCode: text('failure_code'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('imports_tenant_id_created_at_idx').on(table.tenantId, table.createdAt.desc(), table.id.desc()),
    check('imports_progress_check', sql`${table.progress} between 0 and 100`),
    check('imports_finished_check', sql`(${table.state} in ('done', 'failed')) = (${table.finishedAt} is not null)`),
  ],
);

/** A row of an import that was not imported: its row number as a spreadsheet shows it (header = 1) and why. */
export const importRejections = pgTable(
  'import_rejections',
  {
    tenantId: uuid('tenant_id').notNull(),
    importId: uuid('import_id').notNull(),
    row: integer('row').notNull(),
    code: text('code').notNull(),
    /** The column at fault, when one is. */
    field: text('field'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.importId, table.row] }),
    foreignKey({ name: 'import_rejections_import_fk', columns: [table.tenantId, table.importId], foreignColumns: [imports.tenantId, imports.id] }).onDelete('cascade'),
  ],
);
