import { and, count, eq, isNull, min, sql } from 'drizzle-orm';
import { deadLetterQueueOf, deadLetters, outbox, type Database, type QueueDriver, type TenantTransaction } from '@keel/kernel';

export interface QueueFigure {
  queue: string;
  depth: number;
  oldestMessageAgeMs: number | null;
}

export interface MessagingFigures {
  outbox: { pending: number; oldestPendingAgeMs: number | null };
  deadLetters: { open: number };
}

/** Each consumer queue and its transport dead-letter queue: aggregate load, no tenant's data. */
export async function queueFigures(driver: QueueDriver, queues: readonly string[]): Promise<QueueFigure[]> {
  const names = queues.flatMap((queue) => [queue, deadLetterQueueOf(queue)]);
  return Promise.all(names.map(async (queue) => ({ queue, ...(await driver.stats(queue)) })));
}

/** Outbox lag and open dead letters of one tenant (app role, tenant scope) or of all (worker role). */
export async function messagingFigures(database: TenantTransaction | Database, tenantId?: string): Promise<MessagingFigures> {
  const [pending] = await database
    .select({ pending: count(), oldest: min(outbox.occurredAt), now: sql<Date>`now()`.mapWith(outbox.occurredAt) })
    .from(outbox)
    .where(and(isNull(outbox.publishedAt), tenantId === undefined ? undefined : eq(outbox.tenantId, tenantId)));
  const [open] = await database
    .select({ open: count() })
    .from(deadLetters)
    .where(and(eq(deadLetters.status, 'open'), tenantId === undefined ? undefined : eq(deadLetters.tenantId, tenantId)));
  return {
    outbox: { pending: pending!.pending, oldestPendingAgeMs: pending!.oldest ? pending!.now.getTime() - pending!.oldest.getTime() : null },
    deadLetters: { open: open!.open },
  };
}
