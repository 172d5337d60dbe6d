/**
 * A consumer process for the messaging reliability tests (MSG-008): the consumer runtime with the
 * effects consumer (test/support/messaging/effects.ts) on one queue, as a deployment runs it, in a
 * process of its own so that a test can SIGKILL it at any point.
 *
 * Environment: KEEL_TEST_APP_URL, KEEL_TEST_WORKER_URL (regional roles), KEEL_TEST_QUEUE,
 * KEEL_TEST_QUEUE_DRIVER (`postgres` | `sqs`), KEEL_TEST_SQS_ENDPOINT (sqs), KEEL_TEST_SEED (the
 * runtime's jitter), KEEL_TEST_CONCURRENCY (default 4).
 *
 * Stdout, one line each: `ready` once subscribed; `received <event id>` when a delivery reaches the
 * runtime; `applied <event id>` once its effect has committed (with its ledger row) — a duplicate
 * delivery, which the ledger absorbs, prints none; `handled <event id>` when the runtime is done
 * with the delivery, just before the driver acknowledges it. Logs go to stderr. SIGTERM stops it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createConsumerRuntime,
  createDatabase,
  createLogger,
  createLogReporter,
  createPool,
  createWithTenant,
  seededRandom,
  systemClock,
  type QueueDriver,
  type WithTenant,
} from '@keel/kernel';
import { createTestQueueDriver, effectsConsumer, requiredEnv, type QueueDriverKind } from './effects.ts';

const appUrl = requiredEnv('KEEL_TEST_APP_URL');
const workerUrl = requiredEnv('KEEL_TEST_WORKER_URL');
const queue = requiredEnv('KEEL_TEST_QUEUE');
const kind = requiredEnv('KEEL_TEST_QUEUE_DRIVER') as QueueDriverKind;
const concurrency = Number(process.env.KEEL_TEST_CONCURRENCY ?? 4);

const logger = createLogger({ level: 'warn', destination: process.stderr });
const reporter = createLogReporter(logger);
const appPool = createPool(appUrl, { applicationName: 'keel-test-consumer-app', logger });
const workerPool = createPool(workerUrl, { applicationName: 'keel-test-consumer-worker', logger });
const driver = announcingDeliveries(await createTestQueueDriver({ kind, workerUrl, sqsEndpoint: process.env.KEEL_TEST_SQS_ENDPOINT, logger }));

// The handler notes its event in the delivery's slot; the line is printed once the transaction
// that holds the effect and the ledger row has committed.
const applied = new AsyncLocalStorage<{ eventId?: string }>();
const withTenant = createWithTenant(createDatabase(appPool));
const printingWithTenant: WithTenant = async (work) => {
  const slot: { eventId?: string } = {};
  const result = await applied.run(slot, () => withTenant(work));
  if (slot.eventId !== undefined) process.stdout.write(`applied ${slot.eventId}\n`);
  return result;
};
const consumer = effectsConsumer(queue, {
  onEffect: (envelope) => {
    applied.getStore()!.eventId = envelope.eventId;
  },
});

const runtime = createConsumerRuntime({
  driver,
  withTenant: printingWithTenant,
  workerDatabase: createDatabase(workerPool),
  retryPolicy: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 200 },
  concurrency,
  visibilityTimeoutMs: 1_000,
  clock: systemClock,
  random: seededRandom(Number(process.env.KEEL_TEST_SEED ?? 1)),
  logger,
  reporter,
});
await runtime.start([consumer]);
process.stdout.write('ready\n');

process.once('SIGTERM', () => {
  void (async () => {
    await runtime.stop();
    await driver.close();
    await Promise.all([appPool.end(), workerPool.end()]);
  })();
});


/** The driver, printing `received` and `handled <event id>` around the runtime's handling of each delivery. */
function announcingDeliveries(inner: QueueDriver): QueueDriver {
  return {
    ...inner,
    consume: (name, handler, options) =>
      inner.consume(
        name,
        async (envelope) => {
          process.stdout.write(`received ${envelope.eventId}\n`);
          await handler(envelope);
          process.stdout.write(`handled ${envelope.eventId}\n`);
        },
        options,
      ),
  };
}
