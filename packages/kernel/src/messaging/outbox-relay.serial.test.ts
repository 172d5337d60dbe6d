/**
 * MSG-005: events reach the queue through the outbox relay, and are published after the relay
 * restarts when they were committed while no relay ran, or while the relay was killed between
 * publishing and marking — for both queue drivers. The relay runs as a process of its own
 * (test/support/messaging/relay-process.ts), which the failpoint `outbox-relay:after-publish` kills
 * right after it sent a batch and before it marked it; consumption runs here, with the consumer
 * runtime and its ledger.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  createLogger,
  createLogReporter,
  createPool,
  createWithTenant,
  type QueueDriver,
  type WithTenant,
} from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { startFauxqs, type Fauxqs } from '../../../../test/support/fauxqs.ts';
import { appendEffectEvents, createEffectsTable, createTestConsumerRuntime, createTestQueueDriver, effectsConsumer, queryNumber, type QueueDriverKind } from '../../../../test/support/messaging/effects.ts';
import { regionalSuperuserUrl, spawnRelayProcess, type MessagingTarget } from '../../../../test/support/messaging/harness.ts';
import type { GroupProcess } from '../../../../test/support/processes.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';

const logger = createLogger({ level: 'warn', destination: process.stderr });
const kinds: { kind: QueueDriverKind }[] = [{ kind: 'postgres' }, { kind: 'sqs' }];

describe.each(kinds)('MSG-005 the outbox relay on the $kind driver', ({ kind }) => {
  let databases: TestDatabases;
  let superuserUrl: string;
  let fauxqs: Fauxqs | undefined;
  let driver: QueueDriver;
  let appPool: ReturnType<typeof createPool>;
  let workerPool: ReturnType<typeof createPool>;
  let withTenant: WithTenant;
  const relays: GroupProcess[] = [];

  beforeAll(async () => {
    databases = await createTestDatabases();
    superuserUrl = regionalSuperuserUrl(databases);
    await createEffectsTable(databases.regional.owner);
    if (kind === 'sqs') fauxqs = await startFauxqs();
    driver = await createTestQueueDriver({ kind, workerUrl: databases.regional.worker, sqsEndpoint: fauxqs?.endpoint, logger });
    appPool = createPool(databases.regional.app, { applicationName: 'keel-test-producer', logger });
    workerPool = createPool(databases.regional.worker, { applicationName: 'keel-test-consumer', logger });
    withTenant = createWithTenant(createDatabase(appPool));
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) {
      relay.kill();
      await relay.closed;
    }
  });
  afterAll(async () => {
    await driver?.close();
    await Promise.all([appPool?.end(), workerPool?.end()]);
    await fauxqs?.stop();
    await databases?.drop();
  });

  it('MSG-005 events committed while no relay runs are published once a relay starts, and each takes effect once', async () => {
    const queue = await newQueue();
    const eventIds = [...(await appendEffectEvents(withTenant, randomUUID(), 2)), ...(await appendEffectEvents(withTenant, randomUUID(), 1))];
    expect(await unpublished(eventIds)).toBe(3);
    expect((await driver.stats(queue)).depth).toBe(0);

    const relay = startRelay(queue);
    await relay.waitForLine('ready');
    await waitUntil(async () => (await unpublished(eventIds)) === 0);
    expect((await driver.stats(queue)).depth).toBe(3);
    await stopRelay(relay);

    expect((await consume(queue, 3)).sort()).toEqual([...eventIds].sort());
    await expectEffectOnce(eventIds, queue);
  });

  it('MSG-005 a relay killed between publishing and marking leaves the event unpublished and queued once; a new relay publishes it again, and it takes effect once', async () => {
    const queue = await newQueue();
    const [eventId] = await appendEffectEvents(withTenant, randomUUID(), 1);

    const dying = startRelay(queue, ['outbox-relay:after-publish']);
    expect(await dying.closed).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await unpublished([eventId!])).toBe(1);
    expect((await driver.stats(queue)).depth).toBe(1);

    const relay = startRelay(queue);
    await relay.waitForLine('ready');
    await waitUntil(async () => (await unpublished([eventId!])) === 0);
    expect((await driver.stats(queue)).depth).toBe(2);
    await stopRelay(relay);

    expect(await consume(queue, 2)).toEqual([eventId, eventId]);
    await expectEffectOnce([eventId!], queue);
  });

  async function newQueue(): Promise<string> {
    const queue = `relay-${randomUUID().slice(0, 8)}`;
    await driver.ensureQueue(queue);
    return queue;
  }

  function startRelay(queue: string, failpoints: readonly string[] = []): GroupProcess {
    const target: MessagingTarget = { kind, queue, appUrl: databases.regional.app, workerUrl: databases.regional.worker, sqsEndpoint: fauxqs?.endpoint };
    const relay = spawnRelayProcess(target, { failpoints });
    relays.push(relay);
    return relay;
  }

  /** Rows of these events not yet marked published. */
  function unpublished(eventIds: readonly string[]): Promise<number> {
    return queryNumber(superuserUrl, 'select count(*) from outbox where event_id = any($1::uuid[]) and published_at is null', [eventIds]);
  }

  /**
   * Runs the consumer runtime with the effects consumer on `queue` until `expected` deliveries were
   * handled, then stops it (which waits for their acknowledgements); returns the delivered event ids.
   */
  async function consume(queue: string, expected: number): Promise<string[]> {
    const delivered: string[] = [];
    const all = Promise.withResolvers<void>();
    const recording: QueueDriver = {
      ...driver,
      consume: (name, handler, options) =>
        driver.consume(
          name,
          async (envelope) => {
            await handler(envelope);
            delivered.push(envelope.eventId);
            if (delivered.length === expected) all.resolve();
          },
          options,
        ),
    };
    const runtime = createTestConsumerRuntime({
      driver: recording,
      withTenant,
      workerDatabase: createDatabase(workerPool),
      logger,
      reporter: createLogReporter(logger),
    });
    await runtime.start([effectsConsumer(queue)]);
    await all.promise;
    await runtime.stop();
    return delivered;
  }

  /** One effect row and one ledger row per event, and nothing left in the queue or dead-lettered. */
  async function expectEffectOnce(eventIds: readonly string[], queue: string): Promise<void> {
    expect(await queryNumber(superuserUrl, 'select count(*) from reliability_effects where event_id = any($1::uuid[])', [eventIds])).toBe(eventIds.length);
    expect(await queryNumber(superuserUrl, 'select count(distinct event_id) from reliability_effects where event_id = any($1::uuid[])', [eventIds])).toBe(eventIds.length);
    expect(await queryNumber(superuserUrl, 'select count(*) from processed_messages where event_id = any($1::uuid[])', [eventIds])).toBe(eventIds.length);
    expect(await queryNumber(superuserUrl, 'select count(*) from dead_letters where event_id = any($1::uuid[])', [eventIds])).toBe(0);
    expect((await driver.stats(queue)).depth).toBe(0);
  }
});

/** SIGTERM, and the relay stops cleanly. */
async function stopRelay(relay: GroupProcess): Promise<void> {
  relay.signal('SIGTERM');
  expect(await relay.closed, relay.stderr()).toEqual({ code: 0, signal: null });
}
