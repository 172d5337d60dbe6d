import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCapturingLogger } from '../../../../../test/support/capture.ts';
import { startFauxqs, type Fauxqs, type FauxqsRequest } from '../../../../../test/support/fauxqs.ts';
import { Deliveries, envelope, queueDriverContract, waitUntil } from '../../../../../test/support/queue-driver-contract.ts';
import type { Envelope } from '../envelope.ts';
import { MessageTooLargeError } from '../errors.ts';
import { deadLetterQueueOf, type QueueDriver, type QueueSubscription } from '../queue-driver.ts';
import { createSqsQueueDriver, SQS_MAX_DELAY_MS, SQS_MAX_MESSAGE_BYTES } from './sqs-queue-driver.ts';

const queuePrefix = 'keel';
const maxTransportAttempts = 2;
const visibilityTimeoutMs = 1_000;
const { logger, logs } = createCapturingLogger();
let fauxqs: Fauxqs;

beforeAll(async () => {
  fauxqs = await startFauxqs();
});
afterAll(async () => {
  await fauxqs?.stop();
});

describe('MSG-001 MSG-002 MSG-003 the SQS queue driver (real AWS SDK against fauxqs)', () =>
  queueDriverContract(async () => {
    const driver = createSqsQueueDriver({ client: fauxqs.sqsClient(), queuePrefix, logger, maxTransportAttempts });
    return { driver, maxTransportAttempts, reportsMessageAge: false, cleanup: () => driver.close() };
  }));

describe('the SQS queue driver, beyond the contract', () => {
  let driver: QueueDriver;
  const subscriptions: QueueSubscription[] = [];

  beforeAll(() => {
    driver = createSqsQueueDriver({ client: fauxqs.sqsClient(), queuePrefix, logger, maxTransportAttempts });
  });
  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await driver?.close();
  });

  const newQueue = async () => {
    const queue = `driver-${randomUUID().slice(0, 8)}`;
    await driver.ensureQueue(queue);
    return queue;
  };
  const consume = async (queue: string, handler: (envelope: Envelope) => Promise<void>, concurrency = 4) => {
    const subscription = await driver.consume(queue, handler, { concurrency, visibilityTimeoutMs });
    subscriptions.push(subscription);
    return subscription;
  };

  it('refuses an envelope over 256 KiB with MESSAGE_TOO_LARGE before sending any message of the call', async () => {
    const queue = await newQueue();
    const sending = driver.send(queue, [{ envelope: envelope() }, { envelope: envelopeOfBytes(SQS_MAX_MESSAGE_BYTES + 1) }]);
    await expect(sending).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(sending).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE', status: 413, report: false });
    expect(await driver.stats(queue)).toEqual({ depth: 0, oldestMessageAgeMs: null });
  });

  it('MSG-001 delivers an envelope of exactly 256 KiB intact', async () => {
    const queue = await newQueue();
    const sent = envelopeOfBytes(SQS_MAX_MESSAGE_BYTES);
    await driver.send(queue, [{ envelope: sent }]);
    const received = new Deliveries(1);
    await consume(queue, received.handler);
    expect(await received.all).toEqual([sent]);
  });

  it('MSG-001 delivers characters SQS refuses in a raw body (U+FFFE, U+FFFF) intact', async () => {
    const queue = await newQueue();
    const sent = envelope({ payload: { note: 'edge \uFFFE and \uFFFF of the plane' } });
    await driver.send(queue, [{ envelope: sent }]);
    const received = new Deliveries(1);
    await consume(queue, received.handler);
    expect(await received.all).toEqual([sent]);
  });

  it('sends 25 messages in 3 SendMessageBatch calls of 10, 10 and 5', async () => {
    const queue = await newQueue();
    await driver.send(queue, Array.from({ length: 25 }, () => ({ envelope: envelope() })));
    const batches = fauxqs.requests.filter((request) => request.action === 'SendMessageBatch' && addresses(request, sqsNameOf(queue)));
    expect(batches.map((request) => (request.params.Entries as unknown[]).length)).toEqual([10, 10, 5]);
    expect((await driver.stats(queue)).depth).toBe(25);
  });

  it("takes a delay of SQS's 15 minutes and refuses a longer one rather than delivering early", async () => {
    const queue = await newQueue();
    await driver.send(queue, [{ envelope: envelope(), delayMs: SQS_MAX_DELAY_MS }]);
    await expect(driver.send(queue, [{ envelope: envelope() }, { envelope: envelope(), delayMs: SQS_MAX_DELAY_MS + 1 }])).rejects.toThrow(RangeError);
    const inspected = await fauxqs.inspectQueue(sqsNameOf(queue));
    expect(inspected?.messages.delayed).toHaveLength(1);
    expect((await driver.stats(queue)).depth).toBe(1);
  });

  it('runs at most `concurrency` handlers at once', async () => {
    const queue = await newQueue();
    await driver.send(queue, Array.from({ length: 12 }, () => ({ envelope: envelope() })));
    const concurrency = 3;
    let running = 0;
    let most = 0;
    const poolFull = Promise.withResolvers<void>();
    const gate = Promise.withResolvers<void>();
    const received = new Deliveries(12);
    await consume(
      queue,
      async (message) => {
        running += 1;
        most = Math.max(most, running);
        if (running === concurrency) poolFull.resolve();
        await gate.promise;
        running -= 1;
        await received.handler(message);
      },
      concurrency,
    );
    await poolFull.promise;
    gate.resolve();
    expect(new Set((await received.all).map((message) => message.eventId)).size).toBe(12);
    expect(most).toBe(concurrency);
  });

  it('MSG-002 keeps a message invisible while its handler runs past the visibility timeout, then acknowledges it once', async () => {
    const queue = await newQueue();
    const name = sqsNameOf(queue);
    const received = new Deliveries(1);
    const handlerStarted = Promise.withResolvers<void>();
    const finish = Promise.withResolvers<void>();
    await driver.send(queue, [{ envelope: envelope() }]);
    await consume(queue, async (message) => {
      await received.handler(message);
      handlerStarted.resolve();
      await finish.promise;
    });
    await handlerStarted.promise;
    const deleted = fauxqs.nextRequest((request) => request.action === 'DeleteMessage' && addresses(request, name));
    try {
      const [first] = (await fauxqs.inspectQueue(name))!.messages.inflight;
      // Heartbeats (ChangeMessageVisibility) go on until the deadline set at receive time has passed…
      while (Date.now() <= first!.visibilityDeadline) await fauxqs.nextRequest((request) => request.action === 'ChangeMessageVisibility' && addresses(request, name));
      // …and the message is still hidden: another consumer receives nothing.
      const otherConsumer = await fauxqs.sqsClient().send(new ReceiveMessageCommand({ QueueUrl: await urlOf(queue), WaitTimeSeconds: 0 }));
      expect(otherConsumer.Messages ?? []).toEqual([]);
    } finally {
      finish.resolve();
    }
    await deleted;
    expect(await driver.stats(queue)).toEqual({ depth: 0, oldestMessageAgeMs: null });
    expect(received.extra).toEqual([]);
  });

  it('MSG-003 moves a body that is not an envelope to <queue>-dlq without calling the handler, and logs it', async () => {
    const queue = await newQueue();
    await fauxqs.sqsClient().send(new SendMessageCommand({ QueueUrl: await urlOf(queue), MessageBody: 'not an envelope' }));
    const handled: Envelope[] = [];
    await consume(queue, async (message) => void handled.push(message), 1);
    await waitUntil(async () => (await driver.stats(deadLetterQueueOf(queue))).depth === 1);
    const deadLetters = (await fauxqs.inspectQueue(sqsNameOf(deadLetterQueueOf(queue))))!.messages.ready;
    expect(deadLetters.map((message) => message.body)).toEqual(['not an envelope']);
    expect(handled).toEqual([]);
    expect(logs.filter((line) => line.msg === 'SQS message is not an envelope; left for the dead-letter queue' && line.queue === sqsNameOf(queue))).toHaveLength(maxTransportAttempts);
  });

  it('MSG-003 ensureQueue is idempotent and applies a changed QUEUE_MAX_TRANSPORT_ATTEMPTS to an existing queue', async () => {
    const queue = await newQueue();
    await driver.ensureQueue(queue);
    const redeployed = createSqsQueueDriver({ client: fauxqs.sqsClient(), queuePrefix, logger, maxTransportAttempts: 5 });
    await redeployed.ensureQueue(queue);
    await redeployed.close();
    const { Attributes } = await fauxqs.sqsClient().send(new GetQueueAttributesCommand({ QueueUrl: await urlOf(queue), AttributeNames: ['RedrivePolicy'] }));
    const redrivePolicy = JSON.parse(Attributes!.RedrivePolicy!) as { deadLetterTargetArn: string; maxReceiveCount: number };
    expect(redrivePolicy.deadLetterTargetArn).toMatch(new RegExp(`:${sqsNameOf(deadLetterQueueOf(queue))}$`));
    expect(Number(redrivePolicy.maxReceiveCount)).toBe(5);
  });
});

function sqsNameOf(queue: string): string {
  return `${queuePrefix}-${queue}`;
}

async function urlOf(queue: string): Promise<string> {
  const inspected = await fauxqs.inspectQueue(sqsNameOf(queue));
  if (!inspected) throw new Error(`no queue ${sqsNameOf(queue)} in fauxqs`);
  return inspected.url;
}

function addresses(request: FauxqsRequest, sqsName: string): boolean {
  return typeof request.params.QueueUrl === 'string' && request.params.QueueUrl.endsWith(`/${sqsName}`);
}

/** An envelope whose JSON is exactly `bytes` long (ASCII filler). */
function envelopeOfBytes(bytes: number): Envelope {
  const empty = envelope({ payload: { filler: '' } });
  return { ...empty, payload: { filler: 'x'.repeat(bytes - JSON.stringify(empty).length) } };
}
