import { and, eq, sql } from 'drizzle-orm';
import { appendToOutbox, deadLetters, type MessageRoutes, type WithTenant } from '@keel/kernel';
import { DeadLetterConsumerGoneError, DeadLetterNotFoundError, DeadLetterNotOpenError } from './errors.ts';
import { findDeadLetter, type DeadLetterRow } from './queries.ts';

/**
 * Replay: the same event id goes back, through the outbox, to the one consumer that gave up on it;
 * its ledger keeps the effect single if it did take effect after all. Discard: it stays on record.
 * Either only from `open`, in one transaction with the status change.
 */
export async function replayDeadLetter(withTenant: WithTenant, routes: MessageRoutes, id: string): Promise<DeadLetterRow> {
  return settle(withTenant, id, 'replayed', routes);
}

export async function discardDeadLetter(withTenant: WithTenant, id: string): Promise<DeadLetterRow> {
  return settle(withTenant, id, 'discarded');
}

async function settle(withTenant: WithTenant, id: string, status: 'replayed' | 'discarded', routes?: MessageRoutes): Promise<DeadLetterRow> {
  return withTenant(async (tx, tenantId) => {
    const deadLetter = await findDeadLetter(tx, tenantId, id, { forUpdate: true });
    if (!deadLetter) throw new DeadLetterNotFoundError();
    if (deadLetter.status !== 'open') throw new DeadLetterNotOpenError();
    if (routes && !routes.runs(deadLetter.consumer)) throw new DeadLetterConsumerGoneError();
    if (status === 'replayed') {
      await appendToOutbox(tx, tenantId, [
        { eventId: deadLetter.eventId, type: deadLetter.type, payload: deadLetter.payload as never, consumer: deadLetter.consumer },
      ]);
    }
    const [settled] = await tx
      .update(deadLetters)
      .set({ status, version: sql`${deadLetters.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)))
      .returning();
    return settled!;
  });
}
