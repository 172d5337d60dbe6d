import { sql } from 'drizzle-orm';
import { UploadTooLargeError, UploadTypeNotAllowedError, type StoragePort, type WithTenant } from '@keel/kernel';
import { imports } from '../schema.ts';
import { rethrowUnprovisionedTenant } from '../tenants/provisioning-guard.ts';
import { toImportDto } from './queries.ts';
import { CSV_CONTENT_TYPES, type RequestImportInput } from './schemas.ts';

export interface RequestImportDependencies {
  withTenant: WithTenant;
  storage: StoragePort;
  maxBytes: number;
}

/**
 * Records an import awaiting its file and answers where to upload it: the limits are checked now
 * on what the client declares (and again by the worker on what it stored).
 */
export async function requestImport(deps: RequestImportDependencies, input: RequestImportInput, subject: string) {
  if (input.size > deps.maxBytes) throw new UploadTooLargeError({ details: [{ path: 'body.size', rule: 'too_big' }] });
  const contentType = input.contentType.split(';')[0]!.trim();
  if (!(CSV_CONTENT_TYPES as readonly string[]).includes(contentType)) throw new UploadTypeNotAllowedError({ details: [{ path: 'body.contentType', rule: 'not_allowed' }] });
  try {
    return await deps.withTenant(async (tx, tenantId) => {
      // UUIDv7 from the database (lists page by id), before the insert: the storage key names it.
      const id = (await tx.execute<{ id: string }>(sql`select uuidv7() as id`)).rows[0]!.id;
      const storageKey = `tenants/${tenantId}/imports/${id}`;
      const upload = await deps.storage.createUploadTarget({ key: storageKey, contentType, maxBytes: deps.maxBytes, receiveUrl: `/api/v1/imports/${id}/file` });
      const [row] = await tx
        .insert(imports)
        .values({ tenantId, id, kind: input.kind, fileName: input.fileName, contentType, declaredBytes: input.size, storageKey, createdBy: subject })
        .returning();
      return { import: toImportDto(row!), upload: { ...upload, expiresAt: upload.expiresAt.toISOString(), maxBytes: deps.maxBytes } };
    });
  } catch (error) {
    return rethrowUnprovisionedTenant(error);
  }
}
