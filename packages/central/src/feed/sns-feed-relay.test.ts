import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { eq, isNull } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, createPool, parseEnvelope, type AppError, type Database, type Envelope, type ErrorReporter } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { fauxqsCredentials, fauxqsRegion, startFauxqs, type Fauxqs } from '../../../../test/support/fauxqs.ts';
import { feedEvents } from '../schema.ts';
import { appendToFeed, type CentralEvent } from './append-to-feed.ts';
import { createFeedNotifier, type FeedNotifier } from './feed-notifier.ts';
import { readFeed } from './read-feed.ts';
import { createSnsFeedRelay, SNS_MAX_MESSAGE_BYTES, type SnsFeedRelay } from './sns-feed-relay.ts';

/** Central's app and worker roles on this file's database; two regions' queues subscribed to one topic on fauxqs. */
const regions = ['eu-west', 'us-east'] as const;
type Region = (typeof regions)[number];
const logger = createLogger({ level: 'silent' });
let onReport: ((error: AppError) => void) | undefined;
const reporter: ErrorReporter = { report: (error) => onReport?.(error), flush: async () => true };
let fauxqs: Fauxqs;
let databases: TestDatabases;
let pools: pg.Pool[];
let central: Database;
let worker: Database;
let notifier: FeedNotifier;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
const queueUrls = new Map<Region, string>();
const relays: SnsFeedRelay[] = [];

beforeAll(async () => {
  [fauxqs, databases] = await Promise.all([startFauxqs(), createTestDatabases()]);
  pools = [createPool(databases.central.app, { applicationName: 'test-central-app', logger }), createPool(databases.central.worker, { applicationName: 'test-central-worker', logger })];
  central = createDatabase(pools[0]!);
  worker = createDatabase(pools[1]!);
  notifier = await createFeedNotifier(databases.central.app, logger);
  sns = new SNSClient({ endpoint: fauxqs.endpoint, region: fauxqsRegion, credentials: fauxqsCredentials });
  sqs = fauxqs.sqsClient();
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'keel-central-feed' }))).TopicArn!;
  // What infrastructure sets up per region: its queue, subscribed with a filter on its id and raw delivery.
  for (const region of regions) {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: `${region}-central-events` }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const attributes = { FilterPolicy: JSON.stringify({ region: [region, '*'] }), RawMessageDelivery: 'true' };
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn!, Attributes: attributes }));
    queueUrls.set(region, url);
  }
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});

afterAll(async () => {
  await notifier?.close();
  sns?.destroy();
  await Promise.all(pools?.map((pool) => pool.end()) ?? []);
  await fauxqs?.stop();
  await databases?.drop();
});

describe('MSG-011 MSG-012 central relays its feed to SNS; each region’s SQS subscription filters on its home region', () => {
  it('MSG-011 never publishes an event whose transaction rolled back', async () => {
    const rolledBack = event('eu-west');
    await expect(
      central.transaction(async (tx) => {
        await appendToFeed(tx, [rolledBack]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [committed] = await append([event('eu-west')]);
    expect(await relay().publishPending()).toBe(1);
    expect(await receive('eu-west', 1)).toEqual(await served('eu-west', [committed!]));
  });

  it('MSG-012 a region’s queue receives its tenants’ events and those for every region, as the HTTP feed serves them', async () => {
    const [forEuWest, forUsEast, forEveryRegion] = await append([event('eu-west'), event('us-east'), event(null)]);
    expect(await relay().publishPending()).toBe(3);
    expect(await receive('eu-west', 2)).toEqual(await served('eu-west', [forEuWest!, forEveryRegion!]));
    expect(await receive('us-east', 2)).toEqual(await served('us-east', [forUsEast!, forEveryRegion!]));
  });

  it('MSG-012 the relay wakes on an append; restarted, it publishes what was appended while it was down and nothing it had marked', async () => {
    // A fallback poll far beyond the test's timeout: only the append notification can wake it.
    const first = relay({ pollIntervalMs: 600_000 });
    await first.start();
    const [whileRunning] = await append([event('eu-west')]);
    expect(await receive('eu-west', 1)).toEqual(await served('eu-west', [whileRunning!]));
    await first.stop();

    const [whileDown, forEveryRegion] = await append([event('eu-west'), event(null)]);
    const second = relay({ pollIntervalMs: 600_000 });
    await second.start();
    expect(await receive('eu-west', 2)).toEqual(await served('eu-west', [whileDown!, forEveryRegion!]));
    expect(await receive('us-east', 1)).toEqual(await served('us-east', [forEveryRegion!]));
    await second.stop();
    expect(await unpublished()).toEqual([]);
    for (const region of regions) expect(await queuedCount(region)).toBe(0);
  });
});

describe("the SNS relay's batches", () => {
  it('publishes in position order, at most 10 events per PublishBatch call', async () => {
    const eventIds = await append(Array.from({ length: 23 }, () => event('us-east')));
    const calls = fauxqs.requests.length;
    expect(await relay().publishPending()).toBe(23);
    const batches = fauxqs.requests.slice(calls).filter((request) => request.action === 'PublishBatch').map((request) => publishedEventIds(request.params));
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(batches.flat()).toEqual(eventIds);
    expect(await receive('us-east', 23)).toHaveLength(23);
  });

  it('leaves an event too large for SNS unpublished and reported, publishes the rest of its batch, and the event once it fits', async () => {
    const [before, tooLarge, after] = await append([event('eu-west'), event('eu-west', { text: 'x'.repeat(SNS_MAX_MESSAGE_BYTES) }), event('eu-west')]);
    const subject = relay();
    await expect(subject.publishPending()).rejects.toThrow(`SNS refused 1 of 3 feed events (${tooLarge}`);
    expect(await receive('eu-west', 2)).toEqual(await served('eu-west', [before!, after!]));
    expect(await unpublished()).toEqual([tooLarge]);

    const reported = new Promise<AppError>((resolve) => (onReport = resolve));
    await subject.start();
    expect((await reported).cause).toMatchObject({ message: expect.stringContaining(tooLarge!) });
    await worker.update(feedEvents).set({ payload: { text: 'shorter now' } }).where(eq(feedEvents.eventId, tooLarge!));
    await subject.stop();
    expect(await subject.publishPending()).toBe(1);
    expect(await receive('eu-west', 1)).toEqual(await served('eu-west', [tooLarge!]));
  });
});

function relay(options: { pollIntervalMs?: number } = {}): SnsFeedRelay {
  const created = createSnsFeedRelay({ workerDatabase: worker, snsClient: sns, topicArn, notifier, logger, reporter, pollIntervalMs: options.pollIntervalMs ?? 600_000 });
  relays.push(created);
  return created;
}

/** An event of a new tenant homed in `region`, or (null) one every region needs. */
function event(region: Region | null, payload: Record<string, string> = {}): CentralEvent {
  return { type: 'test.relayed', tenantId: region === null ? null : randomUUID(), region, payload };
}

async function append(events: CentralEvent[]): Promise<string[]> {
  return central.transaction((tx) => appendToFeed(tx, events));
}

/** The envelopes of these events as central's HTTP feed serves them to `region`. */
async function served(region: Region, eventIds: string[]): Promise<Envelope[]> {
  const page = await readFeed(central, { region, after: 0, limit: 500 });
  return byEventId(eventIds.map((eventId) => page.events.find((served) => served.envelope.eventId === eventId)!.envelope));
}

/** Receives (and deletes) `count` messages from a region's queue, long-polling; then the queue must be empty. */
async function receive(region: Region, count: number): Promise<Envelope[]> {
  const url = queueUrls.get(region)!;
  const received: Envelope[] = [];
  while (received.length < count) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
    for (const message of Messages) {
      received.push(parseEnvelope(message.Body!));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  expect(await queuedCount(region)).toBe(0);
  return byEventId(received);
}

/** Neither SQS nor a region promises an order: envelopes are compared sorted. */
function byEventId(envelopes: Envelope[]): Envelope[] {
  return envelopes.toSorted((a, b) => a.eventId.localeCompare(b.eventId));
}

async function queuedCount(region: Region): Promise<number> {
  const inspection = await fauxqs.inspectQueue(`${region}-central-events`);
  const { ready, delayed, inflight } = inspection!.messages;
  return ready.length + delayed.length + inflight.length;
}

async function unpublished(): Promise<string[]> {
  const rows = await worker.select({ eventId: feedEvents.eventId }).from(feedEvents).where(isNull(feedEvents.snsPublishedAt));
  return rows.map((row) => row.eventId);
}

/** The event ids of a PublishBatch call as fauxqs received it (form fields `…member.<n>.Message`), in entry order. */
function publishedEventIds(params: Record<string, unknown>): string[] {
  return Object.entries(params)
    .flatMap(([key, value]) => {
      const entry = /^PublishBatchRequestEntries\.member\.(\d+)\.Message$/.exec(key);
      return entry ? [{ index: Number(entry[1]), eventId: parseEnvelope(String(value)).eventId }] : [];
    })
    .toSorted((a, b) => a.index - b.index)
    .map((entry) => entry.eventId);
}
