import { and, asc, gt, inArray, isNull } from 'drizzle-orm';
import { createPgListener, type PgListener } from '../db/pg-listener.ts';
import type { Database } from '../db/pools.ts';
import type { ErrorReporter } from '../errors/reporter.ts';
import { asAppError } from '../errors/as-app-error.ts';
import { failpoint } from '../failpoints.ts';
import type { Logger } from '../logging/logger.ts';
import { runWithContext } from '../tenancy/request-context.ts';
import { envelopeOfStoredEvent } from './envelope.ts';
import type { OutgoingMessage, QueueDriver } from './queue-driver.ts';
import type { MessageRoutes } from './consumer.ts';
import { createRelayLoop } from './relay-loop.ts';
import { outbox } from './tables.ts';

export interface OutboxRelayOptions {
  /** The worker role's database: the relay reads every tenant's outbox rows. */
  workerDatabase: Database;
  /** A worker-role URL for the LISTEN connection that wakes the relay on new rows (it reconnects when lost). */
  workerUrl: string;
  driver: QueueDriver;
  /** Where events go, from the registered consumers. */
  routes: MessageRoutes;
  logger: Logger;
  reporter: ErrorReporter;
  /** Fallback wake-up when a notification is missed (and the pause after a failure). */
  pollIntervalMs: number;
  batchSize?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  /**
   * One pass over what is pending now, batch after batch; resolves with the number published. Rows
   * that could not be sent are reported and left for the next pass.
   */
  publishPending(): Promise<number>;
  stop(): Promise<void>;
}

type OutboxRow = typeof outbox.$inferSelect;

interface Claimed {
  row: OutboxRow;
  message: OutgoingMessage;
}

/** Where a pass stands after one claimed batch. */
interface BatchOutcome {
  claimed: number;
  published: number;
  /** The highest id claimed: the pass goes on after it. */
  lastId: number;
}

/**
 * Publishes committed outbox rows to their queues, then marks them. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several relays share the work; a relay that dies after publishing
 * and before marking publishes those rows again after restart — consumers' ledgers absorb the
 * duplicates (at least once, never lost).
 *
 * A pass goes once over the pending rows, in id order. Each queue's messages of a claimed batch are
 * sent in one call; when that call fails they are sent one by one, so a row that cannot be sent
 * (say, too large once encoded) is reported (once per pass) and left unpublished for the next pass,
 * and never holds back the rows after it. A row routed to several queues is marked only when every
 * queue took it; the queues that did receive it again on the next pass (duplicates, absorbed).
 * The LISTEN on `keel_outbox` wakes the relay on commits, and reconnects after a database restart.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  let listener: PgListener | undefined;
  const loop = createRelayLoop({
    intervalMs: options.pollIntervalMs,
    async pass() {
      const published = await publishPending();
      if (published > 0) options.logger.debug({ published }, 'outbox relayed');
    },
    onError(error) {
      const appError = asAppError(error);
      options.reporter.report(appError);
      options.logger.warn({ code: appError.code, err: error }, 'outbox relay failed; retrying');
    },
  });

  /** A row naming a consumer this deployment no longer runs is reported and skipped, never left to block the relay. */
  function queuesOf(row: OutboxRow): readonly string[] {
    if (!row.consumer) return options.routes.queuesFor(row.type);
    try {
      return [options.routes.queueOf(row.consumer)];
    } catch (error) {
      options.reporter.report(asAppError(error));
      options.logger.error({ eventId: row.eventId, consumer: row.consumer }, 'outbox event for an unknown consumer; not published');
      return [];
    }
  }

  async function publishBatch(afterId: number): Promise<BatchOutcome> {
    return options.workerDatabase.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(outbox)
        .where(and(isNull(outbox.publishedAt), gt(outbox.id, afterId)))
        .orderBy(asc(outbox.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return { claimed: 0, published: 0, lastId: afterId };
      const byQueue = new Map<string, Claimed[]>();
      for (const row of rows) {
        const message: OutgoingMessage = { envelope: envelopeOfStoredEvent(row) };
        for (const queue of queuesOf(row)) byQueue.set(queue, [...(byQueue.get(queue) ?? []), { row, message }]);
      }
      const failed = new Map<number, { row: OutboxRow; queues: string[]; error: unknown }>();
      for (const [queue, claimed] of byQueue) {
        for (const { row, error } of await send(queue, claimed)) {
          const failure = failed.get(row.id);
          if (failure) failure.queues.push(queue);
          else failed.set(row.id, { row, queues: [queue], error });
        }
      }
      failpoint('outbox-relay:after-publish');
      const published = rows.filter((row) => !failed.has(row.id)).map((row) => row.id);
      if (published.length > 0) await tx.update(outbox).set({ publishedAt: new Date() }).where(inArray(outbox.id, published));
      for (const failure of failed.values()) reportUnpublished(failure.row, failure.queues, failure.error);
      return { claimed: rows.length, published: published.length, lastId: rows.at(-1)!.id };
    });
  }

  /** Sends a queue's messages in one call or, when that fails, one by one; returns the rows that could not be sent. */
  async function send(queue: string, claimed: readonly Claimed[]): Promise<{ row: OutboxRow; error: unknown }[]> {
    try {
      await options.driver.send(queue, claimed.map((entry) => entry.message));
      return [];
    } catch (error) {
      if (claimed.length === 1) return [{ row: claimed[0]!.row, error }];
    }
    const failures: { row: OutboxRow; error: unknown }[] = [];
    for (const { row, message } of claimed) {
      try {
        await options.driver.send(queue, [message]);
      } catch (error) {
        failures.push({ row, error });
      }
    }
    return failures;
  }

  function reportUnpublished(row: OutboxRow, queues: readonly string[], error: unknown): void {
    runWithContext({ requestId: row.eventId, ...(row.tenantId ? { tenantId: row.tenantId } : {}) }, () => {
      const appError = asAppError(error);
      options.reporter.report(appError);
      options.logger.error({ code: appError.code, err: error, eventId: row.eventId, type: row.type, queues }, 'outbox event could not be published; left for the next pass');
    });
  }

  async function publishPending(): Promise<number> {
    let total = 0;
    for (let outcome = await publishBatch(0); outcome.claimed > 0; outcome = await publishBatch(outcome.lastId)) total += outcome.published;
    return total;
  }

  return {
    async start() {
      if (listener) return;
      const wake = () => loop.wake();
      listener = await createPgListener({
        url: options.workerUrl,
        channel: 'keel_outbox',
        applicationName: 'keel-outbox-relay',
        logger: options.logger,
        onNotification: wake,
        // Rows committed while the connection was lost were not notified.
        onReconnect: wake,
      });
      loop.start();
    },
    publishPending,
    async stop() {
      await loop.stop();
      await listener?.close();
      listener = undefined;
    },
  };
}

