/**
 * An outbox relay process for the messaging tests (MSG-005): it routes the effect events
 * (test/support/messaging/effects.ts) to one queue, in a process of its own so that a test can
 * stop it, or have it die at a failpoint.
 *
 * Environment: KEEL_TEST_WORKER_URL (regional worker role), KEEL_TEST_QUEUE, KEEL_TEST_QUEUE_DRIVER
 * (`postgres` | `sqs`), KEEL_TEST_SQS_ENDPOINT (sqs), KEEL_FAILPOINTS (names, comma-separated, e.g.
 * `outbox-relay:after-publish`: the process SIGKILLs itself there).
 *
 * Stdout: `ready` once the relay runs. Logs go to stderr. SIGTERM stops it cleanly.
 */
import { configureFailpoints, createLogger } from '@keel/kernel';
import { createTestQueueDriver, startEffectsRelay, requiredEnv, type QueueDriverKind } from './effects.ts';

const workerUrl = requiredEnv('KEEL_TEST_WORKER_URL');
const queue = requiredEnv('KEEL_TEST_QUEUE');
const kind = requiredEnv('KEEL_TEST_QUEUE_DRIVER') as QueueDriverKind;
configureFailpoints((process.env.KEEL_FAILPOINTS ?? '').split(',').filter(Boolean), 'test');

const logger = createLogger({ level: 'warn', destination: process.stderr });
const driver = await createTestQueueDriver({ kind, workerUrl, sqsEndpoint: process.env.KEEL_TEST_SQS_ENDPOINT, logger });
const relay = await startEffectsRelay({ workerUrl, driver, queue, logger });
process.stdout.write('ready\n');

process.once('SIGTERM', () => {
  void (async () => {
    await relay.stop();
    await driver.close();
  })();
});

