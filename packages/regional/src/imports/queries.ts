import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { importRejections, imports } from '../schema.ts';
import type { ImportDto } from './schemas.ts';

export type ImportRecord = typeof imports.$inferSelect;

export async function findImport(tx: TenantTransaction, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ImportRecord | undefined> {
  const query = tx
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenantId), eq(imports.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** Newest first (UUIDv7 ids are time-ordered). */
export async function listImports(tx: TenantTransaction, tenantId: string, page: { limit: number; before?: string | undefined }): Promise<ImportRecord[]> {
  return tx
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenantId), page.before === undefined ? undefined : lt(imports.id, page.before)))
    .orderBy(desc(imports.id))
    .limit(page.limit + 1);
}

export async function listRejections(tx: TenantTransaction, tenantId: string, importId: string, page: { limit: number; afterRow?: number | undefined }) {
  return tx
    .select({ row: importRejections.row, code: importRejections.code, field: importRejections.field })
    .from(importRejections)
    .where(and(eq(importRejections.tenantId, tenantId), eq(importRejections.importId, importId), page.afterRow === undefined ? undefined : gt(importRejections.row, page.afterRow)))
    .orderBy(asc(importRejections.row))
    .limit(page.limit + 1);
}

export function toImportDto(row: ImportRecord): ImportDto {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.fileName,
    state: row.state,
    progress: row.progress,
    rowsImported: row.rowsImported,
    rowsRejected: row.rowsRejected,
    failureCode: row.failureCode,
    version: row.version,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
