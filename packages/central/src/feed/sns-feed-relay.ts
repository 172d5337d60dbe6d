import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { asc, inArray, isNull } from 'drizzle-orm';
import { asAppError, createRelayLoop, encodeEnvelope, envelopeOfStoredEvent, sizedBatches, type Database, type ErrorReporter, type Logger } from '@keel/kernel';
import { SNS_EVERY_REGION, SNS_REGION_ATTRIBUTE } from '../contracts/feed.ts';
import { feedEvents } from '../schema.ts';
import type { FeedNotifier } from './feed-notifier.ts';

/** SNS takes at most 256 KiB per message (attributes included) and per PublishBatch call. */
export const SNS_MAX_MESSAGE_BYTES = 256 * 1024;

export interface SnsFeedRelayOptions {
  /** Central's worker role: it reads and marks every feed row. */
  workerDatabase: Database;
  snsClient: SNSClient;
  topicArn: string;
  /** The process's feed notifier (one LISTEN, shared with the long polls) wakes the relay on appends. */
  notifier: FeedNotifier;
  logger: Logger;
  reporter: ErrorReporter;
  /** Fallback wake-up when a notification is missed (and the pause after a failure). */
  pollIntervalMs: number;
  batchSize?: number;
}

export interface SnsFeedRelay {
  start(): Promise<void>;
  /** Publishes what is pending now, batch after batch; resolves with the number published. */
  publishPending(): Promise<number>;
  stop(): Promise<void>;
}

type FeedRow = typeof feedEvents.$inferSelect;

interface Entry {
  row: FeedRow;
  request: PublishBatchRequestEntry;
  bytes: number;
}

/**
 * FEED_DRIVER=sns: publishes central's feed rows to one SNS topic, in position order, then marks
 * them (`sns_published_at`). Each message is the envelope the HTTP feed serves, with a `region`
 * attribute (the tenant's home region, or `*`) that each region's SQS subscription filters on —
 * central knows the topic, never a region. Rows are claimed `FOR UPDATE SKIP LOCKED`, so several
 * central instances share the work; a relay that dies between publishing and marking publishes
 * those rows again after restart, and the regions' consumer ledgers absorb the duplicates.
 * An entry SNS refuses stays unmarked (the rest of its batch is marked) and is tried again later.
 * The process's feed notifier (which reconnects its LISTEN after a database restart) wakes it.
 */
export function createSnsFeedRelay(options: SnsFeedRelayOptions): SnsFeedRelay {
  const batchSize = options.batchSize ?? 100;
  let unsubscribe: (() => void) | undefined;
  const loop = createRelayLoop({
    intervalMs: options.pollIntervalMs,
    async pass() {
      const published = await publishPending();
      if (published > 0) options.logger.debug({ published }, "central's feed relayed to SNS");
    },
    onError(error) {
      const failure = asAppError(error);
      options.reporter.report(failure);
      options.logger.warn({ code: failure.code, err: error }, "relaying central's feed to SNS failed; retrying");
    },
  });

  async function publishBatch(): Promise<number> {
    const outcome = await options.workerDatabase.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(feedEvents)
        .where(isNull(feedEvents.snsPublishedAt))
        .orderBy(asc(feedEvents.position))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      const result = await publish(rows);
      if (result.published.length > 0) {
        await tx.update(feedEvents).set({ snsPublishedAt: new Date() }).where(inArray(feedEvents.position, result.published));
      }
      return result;
    });
    if (outcome.failure !== undefined) throw outcome.failure;
    return outcome.published.length;
  }

  /** Publishes in position order and stops at the first call that fails, so what follows is not published ahead of it. */
  async function publish(rows: readonly FeedRow[]): Promise<{ published: number[]; failure: Error | undefined }> {
    const published: number[] = [];
    const refused: string[] = [];
    const entries: Entry[] = [];
    for (const row of rows) {
      const entry = toEntry(row);
      if (entry.bytes > SNS_MAX_MESSAGE_BYTES) refused.push(`${row.eventId}: ${entry.bytes} bytes, SNS takes at most ${SNS_MAX_MESSAGE_BYTES}`);
      else entries.push(entry);
    }
    try {
      // PublishBatch takes at most 10 entries and 256 KiB in all.
      for (const batch of sizedBatches(entries)) {
        const output = await options.snsClient.send(new PublishBatchCommand({ TopicArn: options.topicArn, PublishBatchRequestEntries: batch.map((entry) => entry.request) }));
        const byId = new Map(batch.map((entry) => [entry.request.Id, entry.row]));
        for (const success of output.Successful ?? []) {
          const row = byId.get(success.Id);
          if (row) published.push(row.position);
        }
        for (const failure of output.Failed ?? []) {
          refused.push(`${byId.get(failure.Id)?.eventId ?? failure.Id}: ${failure.Code ?? 'unknown'} ${failure.Message ?? ''}`.trim());
        }
      }
    } catch (error) {
      return { published, failure: new Error(`publishing central's feed to SNS failed after ${published.length} of ${rows.length} events`, { cause: error }) };
    }
    const failure = refused.length > 0 ? new Error(`SNS refused ${refused.length} of ${rows.length} feed events (${refused.join('; ')})`) : undefined;
    return { published, failure };
  }

  async function publishPending(): Promise<number> {
    let total = 0;
    for (let published = await publishBatch(); published > 0; published = await publishBatch()) total += published;
    return total;
  }

  return {
    async start() {
      if (unsubscribe) return;
      unsubscribe = options.notifier.onAppend(() => loop.wake());
      loop.start();
    },
    publishPending,
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await loop.stop();
    },
  };
}

function toEntry(row: FeedRow): Entry {
  const message = encodeEnvelope(envelopeOfStoredEvent(row));
  const region = row.region ?? SNS_EVERY_REGION;
  const bytes = Buffer.byteLength(message, 'utf8') + Buffer.byteLength(SNS_REGION_ATTRIBUTE + 'String' + region, 'utf8');
  return {
    row,
    bytes,
    request: { Id: String(row.position), Message: message, MessageAttributes: { [SNS_REGION_ATTRIBUTE]: { DataType: 'String', StringValue: region } } },
  };
}
