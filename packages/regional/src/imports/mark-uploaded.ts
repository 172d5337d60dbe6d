import { and, eq, sql } from 'drizzle-orm';
import { UploadUrlInvalidError, type SignedUpload, type StoragePort, type TenantTransaction, type WithTenant } from '@keel/kernel';
import { imports } from '../schema.ts';
import { ImportFileMissingError, ImportNotAwaitingUploadError, ImportNotFoundError } from './errors.ts';
import { emitImportEvents } from './import-events.ts';
import { findImport, toImportDto } from './queries.ts';

/**
 * The client says the file is uploaded: if storage holds it, the import is `queued` and
 * `import.queued` goes to the outbox in the same transaction, naming the stored object (its etag):
 * the worker reads that object or fails the import (UPL-024). Saying it again once queued answers
 * the import as it is (a retry after a lost response queues nothing twice).
 */
export async function markUploaded(deps: { withTenant: WithTenant; storage: StoragePort }, importId: string) {
  return deps.withTenant(async (tx, tenantId) => {
    const record = await findImport(tx, tenantId, importId, { forUpdate: true });
    if (!record) throw new ImportNotFoundError();
    if (record.state !== 'awaiting_upload') return toImportDto(record);
    const stored = await deps.storage.stat(record.storageKey);
    if (stored === undefined) throw new ImportFileMissingError();
    const [queued] = await tx
      .update(imports)
      .set({ state: 'queued', queuedAt: sql`now()`, version: sql`${imports.version} + 1` })
      .where(and(eq(imports.tenantId, tenantId), eq(imports.id, importId)))
      .returning();
    await emitImportEvents(tx, tenantId, queued!, 'queued', stored.etag);
    return toImportDto(queued!);
  });
}

/**
 * Local driver: the file sent to the signed URL. The import must be this tenant's, still awaiting
 * its file, and the URL signed for its key; the driver checks signature, expiry, type and size.
 * Checked before the body is read, and again once it is whole, under the row lock `/uploaded`
 * takes: a file that arrives once the import is queued is discarded, never replacing the one the
 * worker reads (UPL-024).
 */
export async function receiveImportFile(deps: { withTenant: WithTenant; storage: StoragePort }, importId: string, token: string, upload: SignedUpload) {
  const awaitingFile = async (tx: TenantTransaction, tenantId: string, options: { forUpdate?: boolean } = {}) => {
    const record = await findImport(tx, tenantId, importId, options);
    if (!record) throw new ImportNotFoundError();
    if (record.state !== 'awaiting_upload') throw new ImportNotAwaitingUploadError();
    if (deps.storage.verifyUploadToken(token).key !== record.storageKey) throw new UploadUrlInvalidError();
    return record;
  };
  const record = await deps.withTenant((tx, tenantId) => awaitingFile(tx, tenantId));
  await deps.storage.receiveUpload(token, upload, (store) =>
    deps.withTenant(async (tx, tenantId) => {
      await awaitingFile(tx, tenantId, { forUpdate: true });
      await store();
    }),
  );
  return toImportDto(record);
}
