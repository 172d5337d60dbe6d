import { and, asc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { retentionCutoff, type StoragePort, type TenantPurge, type TenantTransaction } from '@keel/kernel';
import { imports } from '../schema.ts';

/**
 * Finished imports (done or failed) go `days` after they finished, with their rejected rows and
 * their stored file (RET-012); imports queued or processing are never touched, those still
 * awaiting their file only once abandoned (`abandonedImportsPurge`). Added by retention (H5). The files are deleted before the rows, in the rows'
 * transaction: if it fails, the next pass deletes them again (deleting a file already gone is no
 * error), so no file outlives its import.
 */
export function finishedImportsPurge(days: number, storage: StoragePort): TenantPurge {
  return {
    scope: 'tenant',
    name: 'imports',
    async purge({ tx, tenantId, now, limit }) {
      return purgeImports(tx, tenantId, storage, and(eq(imports.tenantId, tenantId), lt(imports.finishedAt, retentionCutoff(now, { days })))!, imports.finishedAt, limit);
    },
  };
}

/**
 * Imports still awaiting their file `abandonedAfterMs` after they were asked for go, with a file
 * that was uploaded but never marked (RET-013). Rows are locked, skipping those `/uploaded` holds,
 * and re-read after the lock, so an import queued meanwhile stays.
 */
export function abandonedImportsPurge(abandonedAfterMs: number, storage: StoragePort): TenantPurge {
  return {
    scope: 'tenant',
    name: 'abandoned-imports',
    async purge({ tx, tenantId, now, limit }) {
      const due = and(eq(imports.tenantId, tenantId), eq(imports.state, 'awaiting_upload'), lt(imports.createdAt, retentionCutoff(now, { ms: abandonedAfterMs })))!;
      return purgeImports(tx, tenantId, storage, due, imports.createdAt, limit);
    },
  };
}

/** Up to `limit` due imports, oldest first: their files, then their rows (rejections cascade). */
async function purgeImports(tx: TenantTransaction, tenantId: string, storage: StoragePort, due: SQL, oldest: PgColumn, limit: number): Promise<number> {
  const rows = await tx.select({ id: imports.id, storageKey: imports.storageKey }).from(imports).where(due).orderBy(asc(oldest)).limit(limit).for('update', { skipLocked: true });
  if (rows.length === 0) return 0;
  await Promise.all(rows.map((row) => storage.delete(row.storageKey)));
  await tx.delete(imports).where(and(eq(imports.tenantId, tenantId), inArray(imports.id, rows.map((row) => row.id))));
  return rows.length;
}
