import { eq } from 'drizzle-orm';
import { CENTRAL_FEED_PATH, feedPageSchema, type FeedPage } from '@keel/central/contracts';
import { asAppError, type Database, type ErrorReporter, type Logger, type MessageRoutes, type OutgoingMessage, type QueueDriver } from '@keel/kernel';
import { feedCursors } from '../schema.ts';

const FEED = 'central';

export interface HttpFeedSubscriptionOptions {
  /** Central's base URL; a function when it is known only once this server listens. */
  centralUrl: string | (() => string);
  region: string;
  credential: string;
  longPollMs: number;
  /** Pause after a failed pull. */
  retryDelayMs: number;
  workerDatabase: Database;
  driver: QueueDriver;
  routes: MessageRoutes;
  logger: Logger;
  reporter: ErrorReporter;
}

export interface FeedSubscription {
  start(): Promise<void>;
  /** Pulls and forwards what is there now, page after page; resolves with the number of events. */
  pullPending(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Pulls central's feed (long-polling) from this region's cursor, forwards each event to the queues
 * of the consumers subscribed to its type, then advances the cursor. A crash between forwarding and
 * advancing forwards those events again: the consumers' ledgers absorb them.
 */
export function createHttpFeedSubscription(options: HttpFeedSubscriptionOptions): FeedSubscription {
  let running = false;
  let loop: Promise<void> | undefined;
  let inFlight: AbortController | undefined;

  async function cursor(): Promise<number> {
    const [row] = await options.workerDatabase.select({ position: feedCursors.position }).from(feedCursors).where(eq(feedCursors.feed, FEED));
    return row?.position ?? 0;
  }

  async function pull(after: number, waitMs: number): Promise<FeedPage> {
    const base = typeof options.centralUrl === 'string' ? options.centralUrl : options.centralUrl();
    const url = new URL(CENTRAL_FEED_PATH, base);
    url.search = new URLSearchParams({ region: options.region, after: String(after), waitMs: String(waitMs) }).toString();
    inFlight = new AbortController();
    const response = await fetch(url, { headers: { authorization: `Bearer ${options.credential}` }, signal: inFlight.signal });
    if (!response.ok) throw new Error(`central feed answered ${response.status}: ${await response.text()}`);
    return feedPageSchema.parse(await response.json());
  }

  async function forward(page: FeedPage): Promise<void> {
    const byQueue = new Map<string, OutgoingMessage[]>();
    for (const { envelope } of page.events) {
      for (const queue of options.routes.queuesFor(envelope.type)) byQueue.set(queue, [...(byQueue.get(queue) ?? []), { envelope }]);
    }
    for (const [queue, messages] of byQueue) await options.driver.send(queue, messages);
    await options.workerDatabase
      .insert(feedCursors)
      .values({ feed: FEED, position: page.next })
      .onConflictDoUpdate({ target: feedCursors.feed, set: { position: page.next, updatedAt: new Date() } });
  }

  async function pullOnce(waitMs: number): Promise<number> {
    const page = await pull(await cursor(), waitMs);
    if (page.events.length > 0) await forward(page);
    return page.events.length;
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        const received = await pullOnce(options.longPollMs);
        if (received > 0) options.logger.debug({ received }, 'central events received');
      } catch (error) {
        if (!running) break;
        const failure = asAppError(error);
        options.logger.warn({ code: failure.code, err: error }, 'central feed pull failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
      }
    }
  }

  return {
    async start() {
      running = true;
      loop = run();
    },
    async pullPending() {
      let total = 0;
      for (let received = await pullOnce(0); received > 0; received = await pullOnce(0)) total += received;
      return total;
    },
    async stop() {
      running = false;
      inFlight?.abort();
      await loop;
    },
  };
}
