import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { eq } from 'drizzle-orm';
import { CENTRAL_FEED_PATH, CentralUnavailableError, feedPageSchema, type FeedPage } from '@keel/central/contracts';
import { createFailureStreak, pause, type Database, type ErrorReporter, type Logger, type QueueDriver } from '@keel/kernel';
import { feedCursors } from '../schema.ts';
import { CENTRAL_EVENTS_QUEUE } from './central-events-queue.ts';

const FEED = 'central';
/** Events asked for per pull (central's default page). */
const PAGE_LIMIT = 100;
/**
 * Central's answer may be this large at most; a larger one fails the pull, and the next pull asks
 * for half as many events (central does not cap its events' size: a page of big ones must not
 * block the feed).
 */
export const FEED_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** How long past the long poll a pull may go without a byte from central before it is given up. */
export const FEED_REQUEST_TIMEOUT_MARGIN_MS = 15_000;

export interface HttpFeedSubscriptionOptions {
  /** Central's base URL; a function when it is known only once this server listens. */
  centralUrl: string | (() => string);
  region: string;
  credential: string;
  longPollMs: number;
  /** Pause after a failed pull (FEED_RETRY_DELAY_MS); `stop()` cuts it short. */
  retryDelayMs: number;
  /** A pull's socket may stay silent this long before the pull fails. Default: `longPollMs` + 15 s. */
  requestTimeoutMs?: number;
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
  const requestTimeoutMs = options.requestTimeoutMs ?? options.longPollMs + FEED_REQUEST_TIMEOUT_MARGIN_MS;
  let running = false;
  let loop: Promise<void> | undefined;
  /** Aborted by stop(): cuts the pull in flight and the pause after a failure. */
  let stopping = new AbortController();
  /** Halved after an answer over FEED_MAX_RESPONSE_BYTES, back to PAGE_LIMIT after a pull that fits. */
  let pageLimit = PAGE_LIMIT;

  async function cursor(): Promise<number> {
    const [row] = await options.workerDatabase.select({ position: feedCursors.position }).from(feedCursors).where(eq(feedCursors.feed, FEED));
    return row?.position ?? 0;
  }

  async function pull(after: number, waitMs: number): Promise<FeedPage> {
    const base = typeof options.centralUrl === 'string' ? options.centralUrl : options.centralUrl();
    const url = new URL(CENTRAL_FEED_PATH, base);
    url.search = new URLSearchParams({ region: options.region, after: String(after), waitMs: String(waitMs), limit: String(pageLimit) }).toString();
    let answer: { status: number; body: unknown };
    try {
      answer = await getJson(url, { authorization: `Bearer ${options.credential}` }, { signal: stopping.signal, timeoutMs: requestTimeoutMs });
    } catch (error) {
      if (error instanceof ResponseTooLargeError) pageLimit = Math.max(1, Math.floor(pageLimit / 2));
      // Typed as central's failure: a refused connection would otherwise read as the database's.
      throw new CentralUnavailableError({ cause: error });
    }
    pageLimit = PAGE_LIMIT;
    const { status, body } = answer;
    if (status !== 200) throw new CentralUnavailableError({ cause: new Error(`central feed answered ${status}: ${JSON.stringify(body)}`) });
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
    const streak = createFailureStreak({
      reporter: options.reporter,
      logger: options.logger,
      messages: { failed: 'central feed pull failed; retrying', failedAgain: 'central feed pull failed again; retrying', recovered: 'central feed pulls succeed again' },
    });
    while (running) {
      try {
        const received = await pullOnce(options.longPollMs);
        if (received > 0) options.logger.debug({ received }, 'central events received');
        streak.succeeded();
      } catch (error) {
        if (!running) break;
        streak.failed(error);
        await pause(options.retryDelayMs, stopping.signal);
      }
    }
  }

  return {
    async start() {
      if (running) return;
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
      stopping.abort();
      await loop;
      stopping = new AbortController();
    },
  };
}

/**
 * A GET on a connection of its own (no keep-alive pool), destroyed when `signal` aborts: a long
 * poll cut at shutdown must not leave a socket that keeps either side's server from closing. It
 * fails when its socket stays silent for `timeoutMs` (a half-open connection to central) and when
 * the answer exceeds FEED_MAX_RESPONSE_BYTES.
 */
function getJson(url: URL, headers: Record<string, string>, options: { signal: AbortSignal; timeoutMs: number }): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { headers: { ...headers, accept: 'application/json' }, agent: false, signal: options.signal, timeout: options.timeoutMs }, (response) => {
      const declared = Number(response.headers['content-length']);
      if (declared > FEED_MAX_RESPONSE_BYTES) {
        request.destroy(new ResponseTooLargeError(url, `${declared} bytes declared`));
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > FEED_MAX_RESPONSE_BYTES) request.destroy(new ResponseTooLargeError(url, `${bytes} bytes received so far`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${url.origin} sent nothing for ${options.timeoutMs} ms; pull abandoned`)));
    request.on('error', reject);
    request.end();
  });
}

class ResponseTooLargeError extends Error {
  constructor(url: URL, detail: string) {
    super(`${url.origin} answered more than ${FEED_MAX_RESPONSE_BYTES} bytes (${detail}); pull abandoned`);
    this.name = 'ResponseTooLargeError';
  }
}
