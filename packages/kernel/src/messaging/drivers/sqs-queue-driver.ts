import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import type { Logger } from '../../logging/logger.ts';
import { createSqsClient, type AwsConnection } from '../../aws/aws-clients.ts';
import { sizedBatches } from '../batches.ts';
import { encodeEnvelope, parseEnvelope, type Envelope } from '../envelope.ts';
import { MessageTooLargeError } from '../errors.ts';
import {
  deadLetterQueueOf,
  type ConsumeOptions,
  type OutgoingMessage,
  type QueueDriver,
  type QueueStats,
  type QueueSubscription,
} from '../queue-driver.ts';

/** The largest envelope, as JSON in UTF-8, that Keel puts on SQS (specs/messaging.md: 256 KiB). */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;
/** SQS's longest per-message delay: 15 minutes. */
export const SQS_MAX_DELAY_MS = 900_000;

const MAX_BATCH_ENTRIES = 10;
const MAX_RECEIVE_WAIT_SECONDS = 20;
const RECEIVE_RETRY_PAUSE_MS = 1_000;
const MAX_VISIBILITY_SECONDS = 43_200;
/** SQS's longest retention (14 days): a message keeps its original enqueue time in the dead-letter queue. */
const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;
/** SQS queue names: letters, digits, `-` and `_`, at most 80 characters. */
const QUEUE_NAME = /^[\w-]{1,80}$/;

export interface SqsQueueDriverOptions {
  /** A client owned by the caller: `close()` leaves it open. Give either this or `connection`. */
  client?: SQSClient;
  /** Where to connect: the driver creates its client (`createSqsClient`) and destroys it on `close()`. */
  connection?: AwsConnection;
  /** Prepended to every queue name: `<prefix>-<queue>`, `<prefix>-<queue>-dlq`. */
  queuePrefix: string;
  logger: Logger;
  /** Deliveries of one message before SQS moves it to the dead-letter queue (the redrive policy's maxReceiveCount). */
  maxTransportAttempts: number;
}

/**
 * The queue port on Amazon SQS: standard queues (at least once, no order), each with a redrive
 * policy to its `-dlq` queue after `maxTransportAttempts` receives.
 *
 * - `send` refuses the whole call before sending anything when an envelope exceeds
 *   `SQS_MAX_MESSAGE_BYTES` (`MESSAGE_TOO_LARGE`) or a delay exceeds SQS's 15 minutes (a RangeError:
 *   with this driver `RETRY_MAX_DELAY_MS` must stay ≤ 900 000 — clamping would retry sooner than
 *   MSG-007 allows). A batch entry SQS refuses makes `send` throw: nothing is lost silently.
 * - `consume` long-polls with sqs-consumer and runs up to `concurrency` handlers at once; while a
 *   handler runs, a heartbeat keeps its message invisible. A handler that resolves deletes its
 *   message; one that rejects (or a body that is not an envelope) releases it after
 *   `2^(receives−1) − 1` seconds (0, 1, 3, 7 … at most the visibility timeout), so it is delivered
 *   again soon and, after `maxTransportAttempts` receives, lands in the dead-letter queue.
 * - `stats` counts visible, in-flight and delayed messages. SQS cannot tell the age of its oldest
 *   message without receiving it (which counts towards the redrive limit) — only CloudWatch's
 *   per-minute `ApproximateAgeOfOldestMessage` can — so `oldestMessageAgeMs` is null here: unknown
 *   when `depth > 0`, empty when `depth` is 0.
 */
export function createSqsQueueDriver(options: SqsQueueDriverOptions): QueueDriver {
  const client = options.client ?? createSqsClient(connectionOf(options));
  const ownsClient = options.client === undefined;
  const { logger, maxTransportAttempts } = options;
  const urls = new Map<string, Promise<string>>();
  const ensured = new Map<string, Promise<void>>();
  const subscriptions = new Set<QueueSubscription>();

  function sqsName(queue: string): string {
    const name = options.queuePrefix === '' ? queue : `${options.queuePrefix}-${queue}`;
    if (!QUEUE_NAME.test(name)) throw new Error(`SQS queue name ${JSON.stringify(name)} is invalid: use letters, digits, - and _, at most 80 characters`);
    return name;
  }

  function remember(name: string, url: Promise<string>): Promise<string> {
    urls.set(name, url);
    url.catch(() => urls.delete(name));
    return url;
  }

  function queueUrl(queue: string): Promise<string> {
    const name = sqsName(queue);
    return (
      urls.get(name) ??
      remember(
        name,
        client.send(new GetQueueUrlCommand({ QueueName: name })).then((output) => required(output.QueueUrl, `the URL of ${name}`)),
      )
    );
  }

  /** CreateQueue is idempotent for equal attributes; changed ones (e.g. a new maxTransportAttempts) are applied. */
  async function createQueue(name: string, attributes: Record<string, string>): Promise<string> {
    try {
      const output = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      return required(output.QueueUrl, `the URL of ${name}`);
    } catch (error) {
      if (!isQueueNameExists(error)) throw error;
      const output = await client.send(new GetQueueUrlCommand({ QueueName: name }));
      const url = required(output.QueueUrl, `the URL of ${name}`);
      await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
      return url;
    }
  }

  async function createQueueWithDeadLetterQueue(queue: string): Promise<void> {
    const name = sqsName(queue);
    const deadLetterName = sqsName(deadLetterQueueOf(queue));
    const deadLetterUrl = await createQueue(deadLetterName, { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS) });
    remember(deadLetterName, Promise.resolve(deadLetterUrl));
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }));
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: required(Attributes?.QueueArn, `the ARN of ${deadLetterName}`), maxReceiveCount: maxTransportAttempts });
    remember(name, Promise.resolve(await createQueue(name, { RedrivePolicy: redrivePolicy })));
  }

  return {
    kind: 'sqs',

    ensureQueue(queue) {
      const name = sqsName(queue);
      let done = ensured.get(name);
      if (!done) {
        done = createQueueWithDeadLetterQueue(queue);
        ensured.set(name, done);
        done.catch(() => ensured.delete(name));
      }
      return done;
    },

    async send(queue, messages) {
      if (messages.length === 0) return;
      const entries = messages.map(toEntry);
      const url = await queueUrl(queue);
      // SendMessageBatch takes at most 10 entries and 256 KiB in all.
      for (const batch of sizedBatches(entries)) {
        const output = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: batch.map((entry, index) => ({ Id: String(index), MessageBody: entry.body, DelaySeconds: entry.delaySeconds })),
          }),
        );
        const failed = output.Failed ?? [];
        if (failed.length > 0) {
          const reasons = failed.map((failure) => `${batch[Number(failure.Id)]?.eventId ?? failure.Id}: ${failure.Code ?? 'unknown'} ${failure.Message ?? ''}`.trim());
          throw new Error(`SQS refused ${failed.length} of ${batch.length} messages to ${sqsName(queue)} (${reasons.join('; ')})`);
        }
      }
    },

    async consume(queue, handler, consumeOptions) {
      const subscription = subscribe({ client, url: await queueUrl(queue), queue: sqsName(queue), handler, options: consumeOptions, logger });
      subscriptions.add(subscription);
      return {
        async stop() {
          await subscription.stop();
          subscriptions.delete(subscription);
        },
      };
    },

    async stats(queue): Promise<QueueStats> {
      const { Attributes = {} } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: await queueUrl(queue),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      const depth =
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
      return { depth, oldestMessageAgeMs: null };
    },

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      subscriptions.clear();
      if (ownsClient) client.destroy();
    },
  };
}

interface Entry {
  eventId: string;
  body: string;
  bytes: number;
  delaySeconds: number;
}

function toEntry(message: OutgoingMessage): Entry {
  const body = encodeEnvelope(message.envelope);
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > SQS_MAX_MESSAGE_BYTES) {
    const detail = `event ${message.envelope.eventId} (${message.envelope.type}) is ${bytes} bytes as JSON; SQS takes at most ${SQS_MAX_MESSAGE_BYTES}`;
    throw new MessageTooLargeError({ cause: new Error(detail) });
  }
  return { eventId: message.envelope.eventId, body, bytes, delaySeconds: delaySeconds(message.delayMs) };
}

function delaySeconds(delayMs: number | undefined): number {
  if (delayMs === undefined || !(delayMs > 0)) return 0;
  if (delayMs > SQS_MAX_DELAY_MS) {
    throw new RangeError(`a delay of ${delayMs} ms exceeds SQS's ${SQS_MAX_DELAY_MS} ms; keep RETRY_MAX_DELAY_MS at ${SQS_MAX_DELAY_MS} or less with QUEUE_DRIVER=sqs`);
  }
  return Math.ceil(delayMs / 1000);
}

interface SubscribeOptions {
  client: SQSClient;
  url: string;
  /** The SQS queue name, for logs. */
  queue: string;
  handler: (envelope: Envelope) => Promise<void>;
  options: ConsumeOptions;
  logger: Logger;
}

/**
 * One long poll per subscription (sqs-consumer), handlers run detached from it: before each receive
 * the poll waits for a free slot and asks for at most as many messages as slots are free, so up to
 * `concurrency` handlers run and a slow one never holds the others back. The driver's own client
 * deletes, releases and extends visibility; sqs-consumer's abort on `stop()` therefore cancels only
 * the pending receive, and handlers in flight finish with their heartbeat still running. (A message
 * SQS handed to a receive just as it was aborted reappears after the visibility timeout.)
 */
function subscribe({ client, url, queue, handler, options, logger }: SubscribeOptions): QueueSubscription {
  const visibilitySeconds = Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(options.visibilityTimeoutMs / 1000)));
  const heartbeatMs = (visibilitySeconds * 1000) / 3;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  let free = concurrency;
  let slotFreed: PromiseWithResolvers<void> | undefined;
  let stopping = false;
  let paused = false;
  const inFlight = new Set<Promise<void>>();

  const consumer = Consumer.create({
    queueUrl: url,
    sqs: client,
    batchSize: Math.min(MAX_BATCH_ENTRIES, concurrency),
    visibilityTimeout: visibilitySeconds,
    waitTimeSeconds: MAX_RECEIVE_WAIT_SECONDS,
    messageSystemAttributeNames: ['ApproximateReceiveCount'],
    shouldDeleteMessages: false,
    preReceiveMessageCallback: async () => {
      while (free === 0 && !stopping) {
        slotFreed ??= Promise.withResolvers<void>();
        await slotFreed.promise;
      }
    },
    handleMessage: async (message) => {
      dispatch(message);
      return undefined;
    },
  });
  // sqs-consumer polls again at once after a failed receive (it pauses only on network errors):
  // pause between polls until a receive succeeds again.
  consumer.on('error', (error) => {
    if (stopping) return;
    logger.warn({ err: error, queue }, 'SQS receive failed; polling again');
    if (!paused) consumer.updateOption('pollingWaitTimeMs', RECEIVE_RETRY_PAUSE_MS);
    paused = true;
  });
  const resume = () => {
    if (paused) consumer.updateOption('pollingWaitTimeMs', 0);
    paused = false;
  };
  consumer.on('empty', resume);
  consumer.on('response_processed', resume);
  consumer.start();

  function wakePoll(): void {
    slotFreed?.resolve();
    slotFreed = undefined;
  }

  /** The next receive asks for as many messages as slots are free (at least 1: it waits for one). */
  function sizeNextReceive(): void {
    consumer.updateOption('batchSize', Math.min(MAX_BATCH_ENTRIES, Math.max(1, free)));
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  function dispatch(message: Message): void {
    if (stopping) {
      track(changeVisibility(message, 0).catch((error: unknown) => logger.warn({ err: error, queue }, 'could not release a message received while stopping')));
      return;
    }
    free -= 1;
    sizeNextReceive();
    track(
      handle(message).finally(() => {
        free += 1;
        if (!stopping) sizeNextReceive();
        wakePoll();
      }),
    );
  }

  async function handle(message: Message): Promise<void> {
    const heartbeat = startHeartbeat(message);
    let succeeded = false;
    try {
      let envelope: Envelope;
      try {
        envelope = parseEnvelope(message.Body ?? '');
      } catch (error) {
        logger.error({ err: error, queue, messageId: message.MessageId }, 'SQS message is not an envelope; left for the dead-letter queue');
        return;
      }
      try {
        await handler(envelope);
        succeeded = true;
      } catch (error) {
        logger.warn({ err: error, queue, eventId: envelope.eventId }, 'message handler failed; the message will be delivered again');
      }
    } finally {
      await heartbeat.stop();
      await settle(message, succeeded);
    }
  }

  async function settle(message: Message, succeeded: boolean): Promise<void> {
    try {
      if (succeeded) await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
      else await changeVisibility(message, releaseDelaySeconds(message));
    } catch (error) {
      // Not deleted: delivered again after the visibility timeout (at least once). Not released: the same, later.
      logger.warn({ err: error, queue, messageId: message.MessageId, succeeded }, 'could not settle an SQS message; it will be delivered again');
    }
  }

  /** 0, 1, 3, 7 … seconds after the 1st, 2nd, 3rd, 4th … failed receive, never longer than a crash would take. */
  function releaseDelaySeconds(message: Message): number {
    const receives = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    return Math.min(visibilitySeconds, 2 ** Math.max(0, receives - 1) - 1);
  }

  function startHeartbeat(message: Message): { stop(): Promise<void> } {
    let beats: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      beats = beats.then(() =>
        changeVisibility(message, visibilitySeconds).catch((error: unknown) => logger.warn({ err: error, queue, messageId: message.MessageId }, 'could not extend visibility')),
      );
    }, heartbeatMs);
    return {
      async stop() {
        clearInterval(timer);
        await beats;
      },
    };
  }

  async function changeVisibility(message: Message, seconds: number): Promise<void> {
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: seconds }));
  }

  return {
    async stop() {
      stopping = true;
      wakePoll();
      consumer.stop({ abort: true });
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}

function connectionOf(options: SqsQueueDriverOptions): AwsConnection {
  if (!options.connection) throw new Error('createSqsQueueDriver needs a client or a connection');
  return options.connection;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`SQS answered without ${what}`);
  return value;
}

/** SQS says `QueueAlreadyExists` (mapped to QueueNameExists by the SDK); fauxqs says `AWS.SimpleQueueService.QueueNameExists`. */
function isQueueNameExists(error: unknown): boolean {
  return error instanceof QueueNameExists || (error instanceof Error && error.name.endsWith('.QueueNameExists'));
}
