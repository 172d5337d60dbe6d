import { and, eq, sql } from 'drizzle-orm';
import { PlanLimitReachedError } from '@keel/central/contracts';
import {
  AppError,
  appendToOutbox,
  UploadChangedError,
  UploadTooLargeError,
  UploadTypeNotAllowedError,
  defineConsumer,
  failpoint,
  mediaType,
  type Clock,
  type ConsumerDefinition,
  type StoragePort,
  type TenantTransaction,
} from '@keel/kernel';
import { importRowsLeft } from '../plans/plan-limits.ts';
import { recordUsage } from '../plans/usage-meter.ts';
import { importRejections, imports } from '../schema.ts';
import { ImportFileMissingError, ImportHeaderInvalidError, ImportRowMalformedError } from './errors.ts';
import { IMPORT_EVENT_TYPES, IMPORTS_QUEUE, emitImportEvents, importBatchPayload } from './import-events.ts';
import type { ImportKindDefinition, ImportRow, Rejection } from './import-kind.ts';
import { ordersImport } from './import-orders.ts';
import { productsImport } from './import-products.ts';
import { findImport, type ImportRecord } from './queries.ts';
import { readCsvBatch } from './read-csv-batch.ts';
import { CSV_CONTENT_TYPES } from './schemas.ts';

const KINDS: Record<ImportRecord['kind'], ImportKindDefinition> = { 'products-csv': productsImport, 'orders-csv': ordersImport };

export interface ImportWorkerOptions {
  storage: StoragePort;
  /** Rows per batch: per transaction, per checkpoint, per progress event. */
  batchSize: number;
  /** The largest file an import accepts (IMPORT_MAX_BYTES). */
  maxBytes: number;
  clock: Clock;
}

/**
 * The import worker: one delivery = one batch, in one tenant transaction with its ledger row —
 * rows written, rejections recorded, checkpoint moved, `import.progressed` and the request for the
 * next batch appended to the outbox. A crash rolls the batch back whole; the redelivered request
 * starts again from the last committed checkpoint, so every row is written exactly once.
 */
export function createImportWorker(options: ImportWorkerOptions): ConsumerDefinition<never> {
  return defineConsumer({
    name: 'import-worker',
    queue: IMPORTS_QUEUE,
    eventTypes: [IMPORT_EVENT_TYPES.queued, IMPORT_EVENT_TYPES.batchRequested],
    payload: importBatchPayload,
    async handle({ tx, tenantId, payload }) {
      const record = await findImport(tx, tenantId, payload.importId, { forUpdate: true });
      // A request the checkpoint has moved past (or a finished import) has nothing left to do.
      if (!record || !['queued', 'processing'].includes(record.state) || record.checkpointRow !== payload.fromRow) return;
      try {
        // A savepoint: a failing file leaves none of this batch's writes behind.
        await tx.transaction((batchTx) => runBatch(batchTx, tenantId, record, payload.etag, options));
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        await finish(tx, tenantId, record, { state: 'failed', failureCode: error.code });
      }
    },
  }) as ConsumerDefinition<never>;
}

async function runBatch(tx: TenantTransaction, tenantId: string, record: ImportRecord, etag: string | undefined, options: ImportWorkerOptions): Promise<void> {
  const kind = KINDS[record.kind];
  const stored = await options.storage.stat(record.storageKey);
  if (stored === undefined) throw new ImportFileMissingError();
  // The file `/uploaded` found, and no other: a signed URL used again after it must not mix two files (UPL-024).
  if (etag !== undefined && stored.etag !== etag) throw new UploadChangedError();
  // The client said what it would send; the stored object says what it sent.
  if (stored.size > options.maxBytes) throw new UploadTooLargeError();
  if (!(CSV_CONTENT_TYPES as readonly string[]).includes(mediaType(stored.contentType) ?? '')) throw new UploadTypeNotAllowedError();

  const checkpoint = { byte: record.checkpointByte, row: record.checkpointRow, header: record.columns ?? undefined };
  const batch = await readCsvBatch(options.storage, record.storageKey, checkpoint, options.batchSize, stored.etag);
  const columns = batch.header.map((cell) => cell.trim().toLowerCase());
  if (record.columns === null) checkHeader(kind, columns);
  const now = options.clock.now();
  const rows: ImportRow[] = [];
  const rejections: Rejection[] = [];
  for (const { row, cells } of batch.records) {
    if (cells.length !== columns.length) rejections.push({ row, code: new ImportRowMalformedError().code, field: null });
    else rows.push({ row, values: Object.fromEntries(columns.map((column, index) => [column, cells[index]!])) });
  }
  const rowsLeft = await importRowsLeft(tx, tenantId, now);
  if (rowsLeft !== null && rows.length > rowsLeft) {
    const beyond = rows.splice(rowsLeft);
    rejections.push(...beyond.map(({ row }) => ({ row, code: new PlanLimitReachedError().code, field: null })));
  }
  const outcome = await kind.importRows(tx, tenantId, rows, { subject: record.createdBy, now });
  rejections.push(...outcome.rejections);
  if (outcome.imported > 0) await recordUsage(tx, tenantId, 'import.rows', outcome.imported);
  if (rejections.length > 0) {
    await tx
      .insert(importRejections)
      .values(rejections.map((rejection) => ({ tenantId, importId: record.id, ...rejection })))
      .onConflictDoNothing();
  }
  // Test-only: die with this batch written but not committed, once an earlier batch has committed.
  if (record.checkpointRow > 0) failpoint('import.batch-uncommitted');
  const progress = batch.endOfFile ? 100 : Math.min(99, Math.floor((batch.nextByte / stored.size) * 100));
  await finish(tx, tenantId, record, {
    etag,
    state: batch.endOfFile ? 'done' : 'processing',
    progress,
    columns: batch.header,
    checkpointRow: record.checkpointRow + batch.records.length,
    checkpointByte: batch.nextByte,
    rowsImported: record.rowsImported + outcome.imported,
    rowsRejected: record.rowsRejected + rejections.length,
  });
  // After the request for the next batch: the relay publishes in outbox order, so the next batch
  // starts while this batch's own events (a thousand product.created) are still being relayed.
  await appendToOutbox(tx, tenantId, outcome.events ?? []);
}

function checkHeader(kind: ImportKindDefinition, columns: string[]): void {
  const known = new Set([...kind.required, ...kind.optional]);
  const unique = new Set(columns);
  if (unique.size !== columns.length || columns.some((column) => !known.has(column)) || kind.required.some((column) => !unique.has(column))) {
    throw new ImportHeaderInvalidError();
  }
}

type ImportChange = Partial<Pick<ImportRecord, 'progress' | 'columns' | 'checkpointRow' | 'checkpointByte' | 'rowsImported' | 'rowsRejected' | 'failureCode'>> & {
  state: 'processing' | 'done' | 'failed';
  /** The object the next batch must read (see importBatchPayload). */
  etag?: string | undefined;
};

/** The import's new state with one more version; finished ones get `finished_at`; then its events. */
async function finish(tx: TenantTransaction, tenantId: string, record: ImportRecord, { etag, ...change }: ImportChange): Promise<void> {
  const finished = change.state !== 'processing';
  const [updated] = await tx
    .update(imports)
    .set({
      ...change,
      version: sql`${imports.version} + 1`,
      startedAt: record.startedAt ?? sql`now()`,
      ...(finished ? { finishedAt: sql`now()` } : {}),
    })
    .where(and(eq(imports.tenantId, tenantId), eq(imports.id, record.id)))
    .returning();
  await emitImportEvents(tx, tenantId, updated!, finished ? 'none' : 'batch', etag);
}
