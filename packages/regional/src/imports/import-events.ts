import { z } from 'zod';
import { appendToOutbox, type OutgoingEvent, type TenantTransaction } from '@keel/kernel';
import type { ImportRecord } from './queries.ts';

/** The queue of the import worker: one delivery per batch of rows. */
export const IMPORTS_QUEUE = 'imports';

export const IMPORT_EVENT_TYPES = {
  /** The file is uploaded: the worker's first batch. */
  queued: 'import.queued',
  /** The previous batch committed: the next one starts after `fromRow`. */
  batchRequested: 'import.batch_requested',
  /** State or progress changed (after commit, to sockets and whoever listens). */
  progressed: 'import.progressed',
} as const;

/**
 * `etag`: the stored object `/uploaded` found, passed from batch to batch; the worker reads only
 * that object (UPL-024). Absent from requests queued before it was recorded.
 */
export const importBatchPayload = z.object({ importId: z.uuid(), fromRow: z.number().int().min(0), etag: z.string().optional() });
export type ImportBatchPayload = z.infer<typeof importBatchPayload>;

export const importProgressedPayload = z.object({
  importId: z.uuid(),
  state: z.string(),
  progress: z.number().int(),
  rowsImported: z.number().int(),
  rowsRejected: z.number().int(),
  failureCode: z.string().nullable(),
  version: z.number().int(),
});
export type ImportProgressedPayload = z.infer<typeof importProgressedPayload>;

export function progressedEvent(row: ImportRecord) {
  const payload: ImportProgressedPayload = {
    importId: row.id,
    state: row.state,
    progress: row.progress,
    rowsImported: row.rowsImported,
    rowsRejected: row.rowsRejected,
    failureCode: row.failureCode,
    version: row.version,
  };
  return { type: IMPORT_EVENT_TYPES.progressed, payload };
}

/** The import's new state, and (unless finished) the request for its next batch, in the transaction of the change. */
export async function emitImportEvents(tx: TenantTransaction, tenantId: string, row: ImportRecord, next: 'queued' | 'batch' | 'none', etag?: string): Promise<void> {
  const events: OutgoingEvent[] = [progressedEvent(row)];
  const batch = (fromRow: number): Record<string, string | number> => (etag === undefined ? { importId: row.id, fromRow } : { importId: row.id, fromRow, etag });
  if (next === 'queued') events.push({ type: IMPORT_EVENT_TYPES.queued, payload: batch(0) });
  if (next === 'batch') events.push({ type: IMPORT_EVENT_TYPES.batchRequested, payload: batch(row.checkpointRow) });
  await appendToOutbox(tx, tenantId, events);
}
