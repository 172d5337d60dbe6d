/**
 * MSG-012 over HTTP, when central misbehaves: the region's feed subscription against a stand-in for
 * central on 127.0.0.1 that answers each pull as a test scripts it — an error, an empty page, an
 * endless body — and leaves every pull past the script unanswered (accepted, never answered).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, createPool, type AppError, type ErrorReporter, type QueueDriver } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { createTestQueueDriver } from '../../../../test/support/messaging/effects.ts';
import { createHttpFeedSubscription, FEED_MAX_RESPONSE_BYTES, type FeedSubscription } from './http-feed-subscription.ts';

type Answer = (response: ServerResponse) => void;

interface Pull {
  url: URL;
  /** Resolves when the pull's connection closes. */
  closed: Promise<void>;
}

const logger = createLogger({ level: 'silent' });
let databases: TestDatabases;
let workerPool: pg.Pool;
let driver: QueueDriver;
let server: Server;
let centralUrl: string;
let script: Answer[] = [];
const pulls: Pull[] = [];
const pullWatchers = new Set<() => void>();
const subscriptions: FeedSubscription[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  workerPool = createPool(databases.regional.worker, { applicationName: 'keel-test-feed', logger });
  driver = await createTestQueueDriver({ kind: 'postgres', workerUrl: databases.regional.worker, logger });
  server = createServer(receive);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  centralUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  server.closeAllConnections();
  script = [];
  pulls.length = 0;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await driver?.close();
  await workerPool?.end();
  await databases?.drop();
});

describe('MSG-012 the region keeps pulling central’s feed over HTTP whatever central does', () => {
  it('MSG-012 a pull that central accepts and never answers is abandoned once its connection stays silent for the request timeout, reported, and tried again', async () => {
    const subject = subscribe({ requestTimeoutMs: 200, retryDelayMs: 1 });
    await subject.feed.start();
    expect(message(await subject.firstReport)).toBe(`${centralUrl} sent nothing for 200 ms; pull abandoned`);
    await pulls[0]!.closed;
    await pulled(2);
  });

  it('MSG-012 stop() ends the pause after a failed pull at once', async () => {
    script = [status(503)];
    const subject = subscribe({ retryDelayMs: 600_000 });
    await subject.feed.start();
    await subject.firstReport;
    await subject.feed.stop();
    expect(pulls).toHaveLength(1);
  });

  it('MSG-012 reports the first failure of each streak of failed pulls, not every retry', async () => {
    script = [status(503), status(503), emptyPage, status(503), status(503)];
    const subject = subscribe({ retryDelayMs: 1 });
    await subject.feed.start();
    await pulled(script.length + 1);
    expect(subject.reported.map(message)).toEqual(['central feed answered 503: {"code":"UNAVAILABLE"}', 'central feed answered 503: {"code":"UNAVAILABLE"}']);
    expect(subject.reported.map((error) => error.code)).toEqual(['CENTRAL_UNAVAILABLE', 'CENTRAL_UNAVAILABLE']);
  });

  it('MSG-012 an answer over 16 MiB fails the pull, the next pull asks for half as many events, and one that fits restores the page size', async () => {
    script = [endlessBody, emptyPage];
    const subject = subscribe({ retryDelayMs: 1 });
    await subject.feed.start();
    await pulled(3);
    expect(pulls.map((pull) => pull.url.searchParams.get('limit'))).toEqual(['100', '50', '100']);
    expect(subject.reported.map(message)).toEqual([expect.stringContaining(`${centralUrl} answered more than ${FEED_MAX_RESPONSE_BYTES} bytes`)]);
  });
});

/** A subscription of the region `local` to the stand-in; `firstReport` resolves with the first error it reports. */
function subscribe(options: { retryDelayMs: number; requestTimeoutMs?: number }) {
  const reported: AppError[] = [];
  const first = Promise.withResolvers<AppError>();
  const reporter: ErrorReporter = {
    report(error) {
      reported.push(error);
      first.resolve(error);
    },
    flush: async () => true,
  };
  const feed = createHttpFeedSubscription({
    centralUrl,
    region: 'local',
    credential: 'the-region-credential',
    longPollMs: 20_000,
    workerDatabase: createDatabase(workerPool),
    driver,
    logger,
    reporter,
    ...options,
  });
  subscriptions.push(feed);
  return { feed, reported, firstReport: first.promise };
}

function receive(request: IncomingMessage, response: ServerResponse): void {
  const closed = new Promise<void>((resolve) => request.socket.once('close', () => resolve()));
  pulls.push({ url: new URL(request.url ?? '/', centralUrl), closed });
  script[pulls.length - 1]?.(response);
  for (const watcher of pullWatchers) watcher();
}

/** Resolves once the stand-in has received `count` pulls. */
function pulled(count: number): Promise<void> {
  return new Promise((resolve) => {
    const watcher = () => {
      if (pulls.length < count) return;
      pullWatchers.delete(watcher);
      resolve();
    };
    pullWatchers.add(watcher);
    watcher();
  });
}

function status(code: number): Answer {
  return (response) => response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'UNAVAILABLE' }));
}

function emptyPage(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events: [], next: 0 }));
}

/** 200, then blanks 1 MiB at a time for as long as the connection lasts. */
function endlessBody(response: ServerResponse): void {
  const chunk = Buffer.alloc(1024 * 1024, ' ');
  const write = () => {
    while (!response.destroyed && response.write(chunk));
  };
  response.on('error', () => {});
  response.on('drain', write);
  response.writeHead(200, { 'content-type': 'application/json' });
  write();
}

/** What the reported error wraps. */
function message(error: AppError): string {
  return (error.cause as Error).message;
}
