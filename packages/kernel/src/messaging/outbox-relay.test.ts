/**
 * MSG-005, in-process: the outbox relay on the PostgreSQL driver, on this file's databases. A row
 * the transport refuses must not hold back the others, and a relay whose LISTEN connection was
 * cut must still be woken by commits. (Restarts and kills of relay processes:
 * outbox-relay.serial.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  createLogger,
  createOutboxRelay,
  createPool,
  createWithTenant,
  messageRoutes,
  MessageTooLargeError,
  type ConsumerRuntime,
  type ErrorReporter,
  type Logger,
  type OutboxRelay,
  type QueueDriver,
  type WithTenant,
} from '@keel/kernel';
import { withClient } from '../db/provisioning.ts';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { appendEffectEvents, createEffectsTable, createTestConsumerRuntime, createTestQueueDriver, effectsConsumer } from '../../../../test/support/messaging/effects.ts';
import { regionalSuperuserUrl } from '../../../../test/support/messaging/harness.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';

const logger = createLogger({ level: 'silent' });
let databases: TestDatabases;
let driver: QueueDriver;
let appPool: pg.Pool;
let workerPool: pg.Pool;
let withTenant: WithTenant;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  await createEffectsTable(databases.regional.owner);
  driver = await createTestQueueDriver({ kind: 'postgres', workerUrl: databases.regional.worker, logger });
  appPool = createPool(databases.regional.app, { applicationName: 'keel-test-producer', logger });
  workerPool = createPool(databases.regional.worker, { applicationName: 'keel-test-worker', logger });
  withTenant = createWithTenant(createDatabase(appPool));
});

afterEach(async () => {
  for (const subject of running.splice(0).reverse()) await subject.stop();
});

afterAll(async () => {
  await driver?.close();
  await Promise.all([appPool?.end(), workerPool?.end()]);
  await databases?.drop();
});

describe('MSG-005 the outbox relay publishes every row it can, whatever one row does', () => {
  it('MSG-005 a row the queue refuses is reported once per pass and left unpublished; the rows after it, of every tenant, are published and take effect, and it is published once it can be sent', async () => {
    const queue = await newQueue();
    const consumer = await consumeEffects(queue);
    const [refusedId, ...sameTenant] = await appendEffectEvents(withTenant, randomUUID(), 2);
    const otherTenant = await appendEffectEvents(withTenant, randomUUID(), 2);
    const good = [...sameTenant, ...otherTenant];
    const { reporter, reported } = createCapturingReporter();
    const relay = outboxRelay(queue, { driver: refusing(driver, refusedId!), reporter });

    expect(await relay.publishPending()).toBe(good.length);
    expect(await relay.publishPending()).toBe(0);
    expect(reported.map((error) => [error.code, (error.cause as Error).message])).toEqual([
      ['MESSAGE_TOO_LARGE', refusalMessage(refusedId!)],
      ['MESSAGE_TOO_LARGE', refusalMessage(refusedId!)],
    ]);
    expect(await unpublished([refusedId!, ...good])).toEqual([refusedId]);
    await consumer.applied(good);

    expect(await outboxRelay(queue).publishPending()).toBe(1);
    await consumer.applied([refusedId!]);
    expect(await unpublished([refusedId!, ...good])).toEqual([]);
  });

  it('MSG-005 a relay whose LISTEN backend was terminated listens again and publishes the next commit without waiting for its poll', async () => {
    const queue = await newQueue();
    const consumer = await consumeEffects(queue);
    const { logger: relayLogger, logs } = createCapturingLogger();
    const relay = outboxRelay(queue, { logger: relayLogger });
    await relay.start();

    expect(await terminateRelayListener()).toBe(1);
    await waitUntil(async () => logs.some((line) => line.msg === 'LISTEN connection restored'));
    // The relay's fallback poll is 10 minutes away: only the LISTEN (or its catch-up on reconnecting) wakes it.
    const eventIds = await appendEffectEvents(withTenant, randomUUID(), 1);
    await consumer.applied(eventIds);
    expect(logs.filter((line) => line.msg === 'LISTEN connection lost; reconnecting')).toHaveLength(1);
  });
});

async function newQueue(): Promise<string> {
  const queue = `relay-${randomUUID().slice(0, 8)}`;
  await driver.ensureQueue(queue);
  return queue;
}

/** A relay (worker role) routing the effect events to `queue`, its fallback poll far beyond any test's timeout. */
function outboxRelay(queue: string, overrides: { driver?: QueueDriver; reporter?: ErrorReporter; logger?: Logger } = {}): OutboxRelay {
  const relay = createOutboxRelay({
    workerDatabase: createDatabase(workerPool),
    workerUrl: databases.regional.worker,
    driver: overrides.driver ?? driver,
    routes: messageRoutes([effectsConsumer(queue)]),
    logger: overrides.logger ?? logger,
    reporter: overrides.reporter ?? createCapturingReporter().reporter,
    pollIntervalMs: 600_000,
  });
  running.push(relay);
  return relay;
}

/** The real driver, except that a send carrying `eventId` fails as SQS fails an envelope over 256 KiB. */
function refusing(inner: QueueDriver, eventId: string): QueueDriver {
  return {
    ...inner,
    async send(queue, messages) {
      if (messages.some((message) => message.envelope.eventId === eventId)) throw new MessageTooLargeError({ cause: new Error(refusalMessage(eventId)) });
      await inner.send(queue, messages);
    },
  };
}

function refusalMessage(eventId: string): string {
  return `event ${eventId} is too large for the transport`;
}

/** The consumer runtime with the effects consumer on `queue`; `applied(ids)` resolves once each of them took effect. */
async function consumeEffects(queue: string): Promise<{ applied(eventIds: readonly string[]): Promise<void> }> {
  const applied = new Set<string>();
  const watchers = new Set<() => void>();
  const runtime: ConsumerRuntime = createTestConsumerRuntime({
    driver,
    withTenant,
    workerDatabase: createDatabase(workerPool),
    logger,
    reporter: createCapturingReporter().reporter,
  });
  const consumer = effectsConsumer(queue, {
    onEffect(envelope) {
      applied.add(envelope.eventId);
      for (const watcher of watchers) watcher();
    },
  });
  await runtime.start([consumer]);
  running.push(runtime);
  return {
    applied: (eventIds) =>
      new Promise((resolve) => {
        const watcher = () => {
          if (!eventIds.every((eventId) => applied.has(eventId))) return;
          watchers.delete(watcher);
          resolve();
        };
        watchers.add(watcher);
        watcher();
      }),
  };
}

/** Terminates (as the cluster's superuser) the relay's LISTEN backend on this file's database; resolves with how many. */
async function terminateRelayListener(): Promise<number> {
  const database = new URL(databases.regional.worker).pathname.slice(1);
  return withClient(databases.superuserUrl, async (client) => {
    const { rows } = await client.query<{ terminated: boolean }>(
      `select pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = 'keel-outbox-relay' and datname = $1`,
      [database],
    );
    return rows.filter((row) => row.terminated).length;
  });
}

/** Which of these events' outbox rows are not marked published (the superuser sees every tenant's rows). */
async function unpublished(eventIds: readonly string[]): Promise<string[]> {
  return withClient(regionalSuperuserUrl(databases), async (client) => {
    const { rows } = await client.query<{ event_id: string }>('select event_id from outbox where event_id = any($1::uuid[]) and published_at is null', [eventIds]);
    return rows.map((row) => row.event_id);
  });
}
