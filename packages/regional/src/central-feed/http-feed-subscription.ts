import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { eq } from 'drizzle-orm';
import { CENTRAL_FEED_PATH, feedPageSchema, type FeedPage } from '@keel/central/contracts';
import { asAppError, type Database, type ErrorReporter, type Logger, type QueueDriver } from '@keel/kernel';
import { feedCursors } from '../schema.ts';
import { CENTRAL_EVENTS_QUEUE } from './central-events-queue.ts';

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
 * Pulls central's feed (long-polling) from this region's cursor, forwards every event to the
 * central-events queue — where SNS delivers them with FEED_DRIVER=sns, so central's events have one
 * way in either way — then advances the cursor. A crash between forwarding and advancing forwards
 * those events again: the consumers' ledgers absorb them.
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
    const { status, body } = await getJson(url, { authorization: `Bearer ${options.credential}` }, inFlight.signal);
    if (status !== 200) throw new Error(`central feed answered ${status}: ${JSON.stringify(body)}`);
    return feedPageSchema.parse(body);
  }

  async function forward(page: FeedPage): Promise<void> {
    await options.driver.send(CENTRAL_EVENTS_QUEUE, page.events.map(({ envelope }) => ({ envelope })));
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

/**
 * A GET on a connection of its own (no keep-alive pool), destroyed when `signal` aborts: a long
 * poll cut at shutdown must not leave a socket that keeps either side's server from closing.
 */
function getJson(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { headers: { ...headers, accept: 'application/json' }, agent: false, signal }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}
