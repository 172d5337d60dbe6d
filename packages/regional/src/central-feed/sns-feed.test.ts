import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SetSubscriptionAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToFeed, type CentralEvent } from '@keel/central';
import { createDatabase, createLogger, createPool, createSqsQueueDriver, type Database } from '@keel/kernel';
import { fauxqsCredentials, fauxqsRegion, startFauxqs, type Fauxqs } from '../../../../test/support/fauxqs.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { countedEvent, countingProbe, createProbeEffects, effectCounts, tenantCreatedEvent, tenantRow } from '../../../../test/support/central-feed-probe.ts';
import { regionalConsumers } from '../consumers.ts';
import { CENTRAL_EVENTS_QUEUE } from './central-events-queue.ts';
import { subscribeRegionToCentralTopic } from './subscribe-region-to-central-topic.ts';

/**
 * Central and the region `eu-west` in one Keel with FEED_DRIVER=sns on fauxqs: central's relay
 * publishes its feed to a topic, and the region's `central-events` SQS queue is subscribed to it
 * with a filter on `eu-west` — set up here first, as infrastructure does in production. Besides the
 * region's own consumers, a probe on that queue records each application of a `test.counted` event
 * as a row of `probe_effects` (no unique constraint: only the ledger keeps an event's effect single).
 */
const region = 'eu-west';
const queuePrefix = `keel-${randomUUID().slice(0, 8)}`;
const queueName = `${queuePrefix}-${CENTRAL_EVENTS_QUEUE}`;
const logger = createLogger({ level: 'silent' });
let fauxqs: Fauxqs;
let sns: SNSClient;
let topicArn: string;
let queueArn: string;
let keel: TestKeel;
let centralPool: pg.Pool;
let central: Database;
let regionalOwner: pg.Client;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  sns = new SNSClient({ endpoint: fauxqs.endpoint, region: fauxqsRegion, credentials: fauxqsCredentials });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: `${queuePrefix}-central-feed` }))).TopicArn!;
  queueArn = await createRegionQueue();
  await subscribeRegionToCentralTopic({ snsClient: sns, topicArn, queueArn, region });
  keel = await startTestKeel(
    {
      KEEL_REGION: region,
      QUEUE_DRIVER: 'sqs',
      SQS_ENDPOINT: fauxqs.endpoint,
      SQS_QUEUE_PREFIX: queuePrefix,
      AWS_REGION: fauxqsRegion,
      FEED_DRIVER: 'sns',
      SNS_ENDPOINT: fauxqs.endpoint,
      SNS_TOPIC_ARN: topicArn,
    },
    { consumers: [...regionalConsumers, countingProbe] },
  );
  centralPool = createPool(keel.databases.central.app, { applicationName: 'test-central', logger });
  central = createDatabase(centralPool);
  regionalOwner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await regionalOwner.connect();
  await createProbeEffects(regionalOwner);
});

afterAll(async () => {
  await regionalOwner?.end();
  await centralPool?.end();
  await keel?.stop();
  sns?.destroy();
  await fauxqs?.stop();
});

describe('MSG-012 the region applies its tenants’ events from central’s SNS topic through its SQS queue, once', () => {
  const homedHere = randomUUID();
  const homedElsewhere = randomUUID();

  it('MSG-012 provisions a tenant homed in this region, and its queue never receives one homed elsewhere', async () => {
    const handled = nextCentralEventHandled();
    await append([tenantCreatedEvent(homedElsewhere, 'us-east'), tenantCreatedEvent(homedHere, region)]);
    await handled;
    expect(await tenantRow(regionalOwner, homedHere)).toEqual({ name: `Tenant ${homedHere.slice(0, 4)}`, currency: 'EUR', timezone: 'Europe/Madrid' });
    // Both went to SNS in one PublishBatch: the filter dropped the other region's before this one was handled.
    expect(await tenantRow(regionalOwner, homedElsewhere)).toBeUndefined();
    expect(await queuedCount()).toBe(0);
  });

  it('MSG-012 applies an event published again (a relay killed before marking it) only once', async () => {
    const earlier = await append([countedEvent(homedHere, region), countedEvent(homedHere, region), countedEvent(homedHere, region)]);
    await waitUntil(async () => (await effectCounts(regionalOwner, homedHere, earlier)).every((count) => count > 0));

    await centralWorker((client) => client.query(`update feed_events set sns_published_at = null where event_id = any($1)`, [earlier]));
    // Appending wakes the relay, which publishes in position order: the unmarked events, then the marker.
    const [marker] = await append([countedEvent(homedHere, region)]);
    await waitUntil(async () => (await effectCounts(regionalOwner, homedHere, [marker!]))[0] === 1);
    await waitUntil(async () => (await queuedCount()) === 0);

    expect(earlier.map((eventId) => timesPublished(eventId))).toEqual([2, 2, 2]);
    expect(await effectCounts(regionalOwner, homedHere, earlier)).toEqual([1, 1, 1]);
  });
});

describe("a region's subscription to central's topic", () => {
  it('is idempotent: subscribing again keeps one subscription and restores its region filter and raw delivery', async () => {
    const first = await subscribeRegionToCentralTopic({ snsClient: sns, topicArn, queueArn, region });
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: first, AttributeName: 'RawMessageDelivery', AttributeValue: 'false' }));
    const again = await subscribeRegionToCentralTopic({ snsClient: sns, topicArn, queueArn, region });
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(again).toBe(first);
    expect(Subscriptions.filter((subscription) => subscription.Endpoint === queueArn).map((subscription) => subscription.SubscriptionArn)).toEqual([first]);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: again }));
    expect(Attributes).toMatchObject({ FilterPolicy: JSON.stringify({ region: [region, '*'] }), RawMessageDelivery: 'true' });
  });
});

/** The region's queue as its SQS driver creates it (with its dead-letter queue); its ARN. */
async function createRegionQueue(): Promise<string> {
  const sqs = fauxqs.sqsClient();
  const driver = createSqsQueueDriver({ client: sqs, queuePrefix, logger, maxTransportAttempts: 10 });
  await driver.ensureQueue(CENTRAL_EVENTS_QUEUE);
  await driver.close();
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}

/** Resolves once the region's consumers have handled a central event: its SQS driver deletes the message after the commit. */
function nextCentralEventHandled(): Promise<unknown> {
  return fauxqs.nextRequest((request) => request.action === 'DeleteMessage' && String(request.params.QueueUrl).endsWith(`/${queueName}`));
}

async function append(events: CentralEvent[]): Promise<string[]> {
  return central.transaction((tx) => appendToFeed(tx, events));
}

async function queuedCount(): Promise<number> {
  const { ready, delayed, inflight } = (await fauxqs.inspectQueue(queueName))!.messages;
  return ready.length + delayed.length + inflight.length;
}

/** How many PublishBatch calls to the topic carried the event. */
function timesPublished(eventId: string): number {
  return fauxqs.requests.filter((request) => request.action === 'PublishBatch' && JSON.stringify(request.params).includes(eventId)).length;
}

async function centralWorker<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: keel.databases.central.worker });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
