import { and, isNotNull, lt } from 'drizzle-orm';
import { deleteDueRows, retentionCutoff, type SystemPurge } from '../retention/retention-job.ts';
import { outbox, processedMessages } from './tables.ts';

/**
 * The messaging kernel's purges (specs/retention.md), run by the worker role: published outbox rows
 * after `outboxDays`, ledger rows after `ledgerDays`. Unpublished outbox rows are never purged. The
 * ledger is what keeps a redelivery from taking effect twice, so `ledgerDays` must outlast every
 * way a message can come back (config.ts holds it above SQS's 14-day dead-letter retention).
 */
export function messagingPurges(keep: { outboxDays: number; ledgerDays: number }): SystemPurge[] {
  return [
    {
      scope: 'system',
      name: 'outbox',
      purge: ({ database, now, limit }) =>
        deleteDueRows(database, {
          table: outbox,
          due: and(isNotNull(outbox.publishedAt), lt(outbox.publishedAt, retentionCutoff(now, { days: keep.outboxDays })))!,
          oldest: outbox.publishedAt,
          limit,
        }),
    },
    {
      scope: 'system',
      name: 'processed-messages',
      purge: ({ database, now, limit }) =>
        deleteDueRows(database, { table: processedMessages, due: lt(processedMessages.processedAt, retentionCutoff(now, { days: keep.ledgerDays })), oldest: processedMessages.processedAt, limit }),
    },
  ];
}
