import { and, asc, eq, gt } from 'drizzle-orm';
import { deadLetters, type DeadLetterStatus, type TenantTransaction } from '@keel/kernel';
import type { DeadLetterDetail } from './schemas.ts';

export type DeadLetterRow = typeof deadLetters.$inferSelect;

export async function listDeadLetters(
  tx: TenantTransaction,
  tenantId: string,
  page: { limit: number; after?: string | undefined; status?: DeadLetterStatus | undefined },
): Promise<DeadLetterRow[]> {
  return tx
    .select()
    .from(deadLetters)
    .where(
      and(
        eq(deadLetters.tenantId, tenantId),
        page.status === undefined ? undefined : eq(deadLetters.status, page.status),
        page.after === undefined ? undefined : gt(deadLetters.id, page.after),
      ),
    )
    .orderBy(asc(deadLetters.id))
    .limit(page.limit + 1);
}

export async function findDeadLetter(tx: TenantTransaction, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<DeadLetterRow | undefined> {
  const query = tx
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export function toDeadLetterDto(row: DeadLetterRow): DeadLetterDetail {
  return {
    id: row.id,
    consumer: row.consumer,
    eventId: row.eventId,
    type: row.type,
    payload: row.payload as DeadLetterDetail['payload'],
    occurredAt: row.occurredAt.toISOString(),
    attempts: row.attempts,
    lastErrorCode: row.lastErrorCode,
    lastErrorAt: row.lastErrorAt.toISOString(),
    status: row.status,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
