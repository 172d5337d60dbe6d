import { z } from 'zod';
import { paginationQuery, uploadTargetSchema } from '@keel/kernel';
import { IMPORT_KINDS, IMPORT_STATES } from './schema.ts';

/**
 * Content types browsers give a `.csv` file: `text/csv` on most systems, `application/vnd.ms-excel`
 * on Windows with Excel installed, `text/plain` on some Linux desktops.
 */
export const CSV_CONTENT_TYPES = ['text/csv', 'application/vnd.ms-excel', 'text/plain'] as const;

export const importParams = z.strictObject({ importId: z.uuid() });

export const requestImportBody = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((value) => !/\p{Cc}/u.test(value), { message: 'contains a control character', params: { rule: 'control_character' } }),
  /** The file's size in bytes, as the browser reports it. */
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  contentType: z.string().trim().toLowerCase().min(1).max(255),
});
export type RequestImportInput = z.infer<typeof requestImportBody>;

export const importSchema = z.object({
  id: z.uuid(),
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string(),
  state: z.enum(IMPORT_STATES),
  /** 0–100. */
  progress: z.number().int(),
  rowsImported: z.number().int(),
  rowsRejected: z.number().int(),
  failureCode: z.string().nullable(),
  version: z.number().int(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ImportDto = z.infer<typeof importSchema>;

export const requestedImportSchema = z.object({ import: importSchema, upload: uploadTargetSchema });

export const importPage = z.object({ items: z.array(importSchema), nextCursor: z.string().nullable() });

export const listImportsQuery = paginationQuery;

export const rejectionSchema = z.object({ row: z.number().int(), code: z.string(), field: z.string().nullable() });

export const listRejectionsQuery = z.strictObject({
  limit: paginationQuery.shape.limit,
  /** Rows after this row number (the previous page's `nextAfterRow`). */
  afterRow: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
});

export const rejectionPage = z.object({ items: z.array(rejectionSchema), nextAfterRow: z.number().int().nullable() });
