import { asc, inArray, isNull } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../db/pools.ts';
import type { ErrorReporter } from '../errors/reporter.ts';
import { asAppError } from '../errors/as-app-error.ts';
import { failpoint } from '../failpoints.ts';
import type { Logger } from '../logging/logger.ts';
import type { Envelope } from './envelope.ts';
import type { OutgoingMessage, QueueDriver } from './queue-driver.ts';
import type { MessageRoutes } from './consumer.ts';
import { outbox } from './tables.ts';

export interface OutboxRelayOptions {
  /** The worker role's database: the relay reads every tenant's outbox rows. */
  workerDatabase: Database;
  /** A worker-role URL for the LISTEN connection that wakes the relay on new rows. */
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
  /** Publishes what is pending now, batch after batch; resolves with the number published. */
  publishPending(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes committed outbox rows to their queues, then marks them. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several relays share the work; a relay that dies after publishing
 * and before marking publishes those rows again after restart — consumers' ledgers absorb the
 * duplicates (at least once, never lost).
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  /** Set by a notification that arrived while a batch was being published. */
  let notified = false;
  let listener: pg.Client | undefined;

  /** A row naming a consumer this deployment no longer runs is reported and skipped, never left to block the relay. */
  function queuesOf(row: typeof outbox.$inferSelect): readonly string[] {
    if (!row.consumer) return options.routes.queuesFor(row.type);
    try {
      return [options.routes.queueOf(row.consumer)];
    } catch (error) {
      options.reporter.report(asAppError(error));
      options.logger.error({ eventId: row.eventId, consumer: row.consumer }, 'outbox event for an unknown consumer; not published');
      return [];
    }
  }

  async function publishBatch(): Promise<number> {
    return options.workerDatabase.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(outbox)
        .where(isNull(outbox.publishedAt))
        .orderBy(asc(outbox.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
      const byQueue = new Map<string, OutgoingMessage[]>();
      for (const row of rows) {
        const envelope: Envelope = {
          eventId: row.eventId,
          type: row.type,
          tenantId: row.tenantId,
          occurredAt: row.occurredAt.toISOString(),
          payload: row.payload as Envelope['payload'],
          attempt: 1,
          ...(row.consumer ? { consumer: row.consumer } : {}),
        };
        for (const queue of queuesOf(row)) {
          byQueue.set(queue, [...(byQueue.get(queue) ?? []), { envelope }]);
        }
      }
      for (const [queue, messages] of byQueue) await options.driver.send(queue, messages);
      failpoint('outbox-relay:after-publish');
      await tx
        .update(outbox)
        .set({ publishedAt: new Date() })
        .where(inArray(outbox.id, rows.map((row) => row.id)));
      return rows.length;
    });
  }

  async function publishPending(): Promise<number> {
    let total = 0;
    for (let published = await publishBatch(); published > 0; published = await publishBatch()) total += published;
    return total;
  }

  async function run(): Promise<void> {
    while (running) {
      notified = false;
      try {
        const published = await publishPending();
        if (published > 0) options.logger.debug({ published }, 'outbox relayed');
      } catch (error) {
        const appError = asAppError(error);
        options.reporter.report(appError);
        options.logger.warn({ code: appError.code }, 'outbox relay failed; retrying');
      }
      if (!running) break;
      if (notified) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    async start() {
      listener = new pg.Client({ connectionString: options.workerUrl, application_name: 'keel-outbox-relay' });
      listener.on('error', (error) => options.logger.warn({ err: error }, 'outbox listener lost its connection; polling'));
      await listener.connect();
      listener.on('notification', () => {
        notified = true;
        wake?.();
      });
      await listener.query('listen keel_outbox');
      running = true;
      loop = run();
    },
    publishPending,
    async stop() {
      running = false;
      wake?.();
      await loop;
      await listener?.end().catch(() => {});
    },
  };
}
