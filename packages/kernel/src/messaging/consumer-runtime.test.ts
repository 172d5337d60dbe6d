import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createConsumerRuntime,
  createDatabase,
  createPool,
  createPostgresQueueDriver,
  createWithTenant,
  deadLetterQueueOf,
  deadLetters,
  defineConsumer,
  defineError,
  ManualClock,
  processedMessages,
  retryDelayMs,
  runWithContext,
  seededRandom,
  type ConsumerContext,
  type ConsumerDefinition,
  type ConsumerRuntime,
  type Database,
  type Envelope,
  type QueueDriver,
  type QueueSubscription,
  type RetryPolicy,
  type WithTenant,
} from '@keel/kernel';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { Deliveries, envelope, waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';

/**
 * The consumer runtime as the regional layer builds it: tenant transactions on the app role, dead
 * letters through the worker role, the PostgreSQL queue driver. Probe consumers write their effect
 * into `probe_effects` (a tenant table with no unique constraint: only the ledger keeps it single).
 */
class ProbeRefusedError extends defineError({ code: 'PROBE_REFUSED', status: 500, description: 'The probe consumer is told to fail.' }) {}

const PROBE_EVENT = 'probe.happened';
const probePayload = z.object({ note: z.string() });
const maxTransportAttempts = 2;
/** Deliveries by hand: a retry waits long enough to observe that it is held back. */
const slowPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };
/** Through the queue: retries come back quickly. */
const quickPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

const tenantA = randomUUID();
const tenantB = randomUUID();
const clock = new ManualClock(new Date('2026-05-04T03:02:01.000Z'));
const { logger, logs } = createCapturingLogger();
const { reporter, reported } = createCapturingReporter();
let databases: TestDatabases;
let owner: pg.Client;
let appPool: pg.Pool;
let workerPool: pg.Pool;
let withTenant: WithTenant;
let workerDatabase: Database;
let driver: QueueDriver;
const runtimes: ConsumerRuntime[] = [];
const subscriptions: QueueSubscription[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  owner = new pg.Client({ connectionString: databases.regional.owner });
  await owner.connect();
  await owner.query('create table probe_effects (tenant_id uuid not null, event_id uuid not null, note text)');
  await owner.query(`select keel_isolate_tenant_table('probe_effects')`);
  appPool = createPool(databases.regional.app, { applicationName: 'keel-test-consumers-app', logger });
  workerPool = createPool(databases.regional.worker, { applicationName: 'keel-test-consumers-worker', logger });
  withTenant = createWithTenant(createDatabase(appPool));
  workerDatabase = createDatabase(workerPool);
  driver = await createPostgresQueueDriver({ connectionString: databases.regional.worker, logger, maxTransportAttempts });
});

afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.stop()));
  await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  await driver?.close();
  await Promise.all([appPool?.end(), workerPool?.end(), owner?.end()]);
  await databases?.drop();
});

describe("MSG-006 a consumer's effect and its ledger row commit in one transaction under the event's tenant", () => {
  it('MSG-006 applies an event once: delivered again it is a duplicate, with one effect and one ledger row', async () => {
    const runtime = newRuntime(slowPolicy);
    const probe = new Probe({ queue: await newQueue() });
    const event = probeEvent();
    expect(await runtime.deliver(probe.consumer, event)).toBe('applied');
    expect(await runtime.deliver(probe.consumer, event)).toBe('duplicate');
    expect(probe.attempts(event.eventId)).toEqual([1]);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([probe.name]);
    expect(await ledgerOf(event.eventId)).toEqual([{ tenantId: tenantA, consumer: probe.name }]);
  });

  it('MSG-006 lets two consumers of one event each apply it once, with a ledger row each', async () => {
    const runtime = newRuntime(slowPolicy);
    const queue = await newQueue();
    const probes = [new Probe({ queue }), new Probe({ queue })];
    const event = probeEvent();
    const outcomes = [];
    for (const round of [1, 2]) for (const probe of probes) outcomes.push([round, await runtime.deliver(probe.consumer, event)]);
    expect(outcomes).toEqual([
      [1, 'applied'],
      [1, 'applied'],
      [2, 'duplicate'],
      [2, 'duplicate'],
    ]);
    const names = probes.map((probe) => probe.name).sort();
    expect(await effectsOf(tenantA, event.eventId)).toEqual(names);
    expect(await ledgerOf(event.eventId)).toEqual(names.map((consumer) => ({ tenantId: tenantA, consumer })));
  });

  it('MSG-006 leaves neither effect nor ledger row when the handler fails after writing its effect', async () => {
    const runtime = newRuntime(slowPolicy);
    const probe = new Probe({ queue: await newQueue(), failure: () => new Error('fails after its effect') });
    const event = probeEvent();
    expect(await runtime.deliver(probe.consumer, event)).toBe('retry-scheduled');
    expect(probe.attempts(event.eventId)).toEqual([1]);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([]);
    expect(await ledgerOf(event.eventId)).toEqual([]);
  });

  it("MSG-006 runs the handler in the ledger row's transaction, under the event's tenant: it sees none of another tenant's rows", async () => {
    const runtime = newRuntime(slowPolicy);
    const event = probeEvent();
    await seedEffectAsOwner(tenantB, event.eventId);
    const seen = Promise.withResolvers<unknown>();
    const probe = new Probe({
      queue: await newQueue(),
      inspect: async ({ tx, tenantId }) => {
        const { rows } = await tx.execute(
          sql`select current_setting('app.tenant_id', true) as setting,
                     (select count(*)::int from probe_effects where event_id = ${event.eventId}) as effects,
                     (select count(*)::int from probe_effects where event_id = ${event.eventId} and tenant_id = ${tenantB}) as "effectsOfOtherTenant",
                     (select count(*)::int from processed_messages where event_id = ${event.eventId}) as "ledgerRows"`,
        );
        seen.resolve({ tenantId, ...rows[0] });
      },
    });
    expect(await runtime.deliver(probe.consumer, event)).toBe('applied');
    // Its own effect, just written, and its ledger row, not yet committed; not tenant B's row of the same event.
    expect(await seen.promise).toEqual({ tenantId: tenantA, setting: tenantA, effects: 1, effectsOfOtherTenant: 0, ledgerRows: 1 });
    expect(await effectsOf(tenantA, event.eventId)).toEqual([probe.name]);
    expect(await effectsOf(tenantB, event.eventId)).toEqual(['seeded by the owner']);
  });
});

describe('MSG-007 a failed attempt is retried with seeded backoff, and dead-lettered after the last', () => {
  it('MSG-007 schedules one retry of a failed attempt: the same event, attempt 2, for that consumer only, held back by the seeded delay', async () => {
    const seed = 99;
    const runtime = newRuntime(slowPolicy, seed);
    const expectedDelayMs = retryDelayMs(1, slowPolicy, seededRandom(seed));
    const queue = await newQueue();
    const probe = new Probe({ queue, failure: () => new ProbeRefusedError() });
    const event = probeEvent();
    const failedAt = Date.now();
    expect(await runtime.deliver(probe.consumer, event)).toBe('retry-scheduled');
    expect(logs.filter((line) => line.eventId === event.eventId && line.msg === 'message failed; retry scheduled')).toEqual([
      expect.objectContaining({ consumer: probe.name, attempt: 1, code: 'PROBE_REFUSED', delayMs: expectedDelayMs }),
    ]);
    expect((await driver.stats(queue)).depth).toBe(1);

    const received = new Deliveries(1);
    subscriptions.push(await driver.consume(queue, received.handler, { concurrency: 1, visibilityTimeoutMs: 10_000 }));
    expect(await received.all).toEqual([{ ...event, attempt: 2, consumer: probe.name }]);
    expect(received.firstAt! - failedAt).toBeGreaterThanOrEqual(expectedDelayMs);
    expect(await deadLettersOf(event.eventId)).toEqual([]);
  });

  it.each([
    { failure: 'a defined error that is not reported', throws: () => new ProbeRefusedError(), payload: { note: 'probe' }, code: 'PROBE_REFUSED', reports: false },
    { failure: 'a plain Error', throws: () => new Error('boom'), payload: { note: 'probe' }, code: 'INTERNAL_ERROR', reports: true },
    { failure: 'an invalid payload', throws: undefined, payload: { note: 42 }, code: 'MESSAGE_PAYLOAD_INVALID', reports: true },
  ])('MSG-007 retries $failure, then records a dead letter with $code after the last attempt and acknowledges it', async ({ throws, payload, code, reports }) => {
    const runtime = newRuntime(slowPolicy);
    const queue = await newQueue();
    const probe = new Probe({ queue, failure: throws });
    const event = probeEvent({ payload });
    const reportedBefore = reported.length;
    clock.advance(60_000);
    const outcomes = [];
    for (const attempt of [1, 2, 3]) outcomes.push(await runtime.deliver(probe.consumer, { ...event, attempt }));

    expect(outcomes).toEqual(['retry-scheduled', 'retry-scheduled', 'dead-lettered']);
    expect(await deadLettersOf(event.eventId)).toEqual([
      expect.objectContaining({
        tenantId: tenantA,
        consumer: probe.name,
        eventId: event.eventId,
        type: PROBE_EVENT,
        payload: event.payload,
        occurredAt: new Date(event.occurredAt),
        attempts: slowPolicy.maxAttempts,
        lastErrorCode: code,
        lastErrorAt: clock.now(),
        status: 'open',
        version: 1,
      }),
    ]);
    // The retries of attempts 1 and 2 wait in the queue; the last attempt sent none.
    expect((await driver.stats(queue)).depth).toBe(2);
    // Each failed attempt reaches the reporter when its error says so.
    expect(reported.slice(reportedBefore).map((error) => error.code)).toEqual(reports ? [code, code, code] : []);
    expect(probe.attempts(event.eventId)).toEqual(throws ? [1, 2, 3] : []);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([]);
    expect(await ledgerOf(event.eventId)).toEqual([]);
  });

  it('MSG-007 does not dead-letter an event whose handler succeeds on the last allowed attempt', async () => {
    const runtime = newRuntime(slowPolicy);
    const probe = new Probe({ queue: await newQueue(), failure: failsBefore(slowPolicy.maxAttempts) });
    const event = probeEvent();
    const outcomes = [];
    for (const attempt of [1, 2, 3]) outcomes.push(await runtime.deliver(probe.consumer, { ...event, attempt }));
    expect(outcomes).toEqual(['retry-scheduled', 'retry-scheduled', 'applied']);
    expect(await deadLettersOf(event.eventId)).toEqual([]);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([probe.name]);
  });

  it('MSG-007 opens again a replayed dead letter that fails again, with its attempts and error time from the replay', async () => {
    const runtime = newRuntime(slowPolicy);
    const probe = new Probe({ queue: await newQueue(), failure: () => new ProbeRefusedError() });
    const event = probeEvent({ attempt: slowPolicy.maxAttempts });
    expect(await runtime.deliver(probe.consumer, event)).toBe('dead-lettered');
    await workerDatabase.update(deadLetters).set({ status: 'replayed', version: 2 }).where(eq(deadLetters.eventId, event.eventId));
    clock.advance(60_000);
    expect(await runtime.deliver(probe.consumer, event)).toBe('dead-lettered');
    expect(await deadLettersOf(event.eventId)).toEqual([
      expect.objectContaining({ attempts: slowPolicy.maxAttempts, lastErrorCode: 'PROBE_REFUSED', lastErrorAt: clock.now(), status: 'open', version: 3 }),
    ]);
  });

  it.each([1, slowPolicy.maxAttempts])(
    'MSG-007 moves an event without a tenant at attempt %i to the transport dead-letter queue: no retry, no dead letter row, reported once',
    async (attempt) => {
      const runtime = newRuntime(slowPolicy);
      const queue = await newQueue();
      const probe = new Probe({ queue });
      const event = probeEvent({ tenantId: null, attempt });
      const reportedBefore = reported.length;
      await expect(runtime.deliver(probe.consumer, event)).resolves.toBe('dead-lettered');
      expect(reported.slice(reportedBefore).map((error) => error.code)).toEqual(['MESSAGE_TENANT_MISSING']);
      expect((await driver.stats(queue)).depth).toBe(0);
      expect((await driver.stats(deadLetterQueueOf(queue))).depth).toBe(1);
      expect(await deadLettersOf(event.eventId)).toEqual([]);
      expect(probe.attempts(event.eventId)).toEqual([]);
    },
  );
});

describe('MSG-006 MSG-007 consumers subscribed to their queue', () => {
  it('MSG-006 hands each message to the consumers of its queue subscribed to its type, once each', async () => {
    const queue = await newQueue();
    const alpha = new Probe({ queue, eventTypes: ['probe.alpha'] });
    const alphaAndBeta = new Probe({ queue, eventTypes: ['probe.alpha', 'probe.beta'] });
    const gamma = new Probe({ queue, eventTypes: ['probe.gamma'] });
    await startRuntime([alpha, alphaAndBeta, gamma]);
    const alphaEvent = probeEvent({ type: 'probe.alpha' });
    const betaEvent = probeEvent({ type: 'probe.beta' });
    await driver.send(queue, [{ envelope: alphaEvent }, { envelope: betaEvent }]);

    await Promise.all([alpha.succeeded(alphaEvent.eventId), alphaAndBeta.succeeded(alphaEvent.eventId), alphaAndBeta.succeeded(betaEvent.eventId)]);
    await drained(queue);
    expect(alpha.calls.map((call) => call.type)).toEqual(['probe.alpha']);
    expect(alphaAndBeta.calls.map((call) => call.type).sort()).toEqual(['probe.alpha', 'probe.beta']);
    expect(gamma.calls).toEqual([]);
    expect(await effectsOf(tenantA, alphaEvent.eventId)).toEqual([alpha.name, alphaAndBeta.name].sort());
    expect(await effectsOf(tenantA, betaEvent.eventId)).toEqual([alphaAndBeta.name]);
  });

  it('MSG-006 takes effect once when an event and its retry both arrive (the sender died before acknowledging)', async () => {
    const queue = await newQueue();
    const probe = new Probe({ queue });
    await startRuntime([probe]);
    const event = probeEvent();
    await driver.send(queue, [{ envelope: event }, { envelope: { ...event, attempt: 2, consumer: probe.name } }]);
    await probe.succeeded(event.eventId);
    await drained(queue);
    expect(probe.calls).toHaveLength(1);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([probe.name]);
    expect(await ledgerOf(event.eventId)).toEqual([{ tenantId: tenantA, consumer: probe.name }]);
  });

  it('MSG-007 sends the retry to the consumer that failed only', async () => {
    const queue = await newQueue();
    const flaky = new Probe({ queue, failure: failsBefore(2) });
    const steady = new Probe({ queue });
    await startRuntime([flaky, steady]);
    const event = probeEvent();
    await driver.send(queue, [{ envelope: event }]);
    await Promise.all([flaky.succeeded(event.eventId), steady.succeeded(event.eventId)]);
    await drained(queue);
    expect(flaky.attempts(event.eventId)).toEqual([1, 2]);
    expect(steady.attempts(event.eventId)).toEqual([1]);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([flaky.name, steady.name].sort());
  });

  it('MSG-007 hands a retry, targeted at its consumer, to that consumer only', async () => {
    const queue = await newQueue();
    const target = new Probe({ queue });
    const bystander = new Probe({ queue });
    await startRuntime([target, bystander]);
    const retry = probeEvent({ attempt: 2, consumer: target.name });
    await driver.send(queue, [{ envelope: retry }]);
    await target.succeeded(retry.eventId);
    await drained(queue);
    expect(target.attempts(retry.eventId)).toEqual([2]);
    expect(bystander.calls).toEqual([]);
    expect(await ledgerOf(retry.eventId)).toEqual([{ tenantId: tenantA, consumer: target.name }]);
  });

  it('MSG-007 applies once, with no dead letter, an event whose consumer fails twice and then succeeds', async () => {
    const queue = await newQueue();
    const probe = new Probe({ queue, failure: failsBefore(3) });
    await startRuntime([probe]);
    const event = probeEvent();
    await driver.send(queue, [{ envelope: event }]);
    await probe.succeeded(event.eventId);
    await drained(queue);
    expect(probe.attempts(event.eventId)).toEqual([1, 2, 3]);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([probe.name]);
    expect(await deadLettersOf(event.eventId)).toEqual([]);
  });

  it('MSG-007 dead-letters, after 3 attempts, an event whose consumer always fails, and acknowledges it', async () => {
    const queue = await newQueue();
    const probe = new Probe({ queue, failure: () => new ProbeRefusedError() });
    await startRuntime([probe]);
    const event = probeEvent();
    await driver.send(queue, [{ envelope: event }]);
    await waitUntil(async () => (await deadLettersOf(event.eventId)).length === 1);
    await drained(queue);
    expect(await deadLettersOf(event.eventId)).toEqual([
      expect.objectContaining({ tenantId: tenantA, consumer: probe.name, attempts: 3, lastErrorCode: 'PROBE_REFUSED', status: 'open' }),
    ]);
    expect(probe.attempts(event.eventId)).toEqual([1, 2, 3]);
    expect(await effectsOf(tenantA, event.eventId)).toEqual([]);
    expect((await driver.stats(deadLetterQueueOf(queue))).depth).toBe(0);
  });

  it.each([
    { consumers: 1, label: 'one consumer' },
    { consumers: 2, label: 'two consumers' },
  ])(
    "moves an event without a tenant, for $label of its type on the queue, to the queue's dead-letter queue once, reported once",
    async ({ consumers }) => {
      const queue = await newQueue();
      const probes = Array.from({ length: consumers }, () => new Probe({ queue }));
      await startRuntime(probes);
      const event = probeEvent({ tenantId: null });
      const reportedBefore = reported.length;
      await driver.send(queue, [{ envelope: event }]);
      await drained(queue);
      expect((await driver.stats(deadLetterQueueOf(queue))).depth).toBe(1);
      expect(reported.slice(reportedBefore).map((error) => error.code)).toEqual(['MESSAGE_TENANT_MISSING']);
      for (const probe of probes) expect(probe.calls).toEqual([]);
      expect(await deadLettersOf(event.eventId)).toEqual([]);
    },
  );
});

interface ProbeOptions {
  queue: string;
  eventTypes?: readonly string[];
  /** What the handler throws at an attempt after writing its effect; undefined: it succeeds. */
  failure?: (attempt: number) => Error | undefined;
  /** Runs in the handler's transaction, after the effect is written. */
  inspect?: (context: ConsumerContext<z.infer<typeof probePayload>>) => Promise<void>;
}

/** A consumer that writes its name into probe_effects and records what it was handed. */
class Probe {
  readonly name = `probe-${randomUUID().slice(0, 8)}`;
  readonly calls: Envelope[] = [];
  readonly consumer: ConsumerDefinition<never>;
  readonly #succeeded = new Map<string, PromiseWithResolvers<void>>();

  constructor(options: ProbeOptions) {
    this.consumer = defineConsumer({
      name: this.name,
      queue: options.queue,
      eventTypes: options.eventTypes ?? [PROBE_EVENT],
      payload: probePayload,
      handle: async (context) => {
        this.calls.push(context.envelope);
        await context.tx.execute(sql`insert into probe_effects (tenant_id, event_id, note) values (${context.tenantId}, ${context.envelope.eventId}, ${this.name})`);
        await options.inspect?.(context);
        const failure = options.failure?.(context.envelope.attempt);
        if (failure) throw failure;
        this.#resolver(context.envelope.eventId).resolve();
      },
    }) as ConsumerDefinition<never>;
  }

  /** Resolves once the handler returned for the event (its transaction commits right after). */
  succeeded(eventId: string): Promise<void> {
    return this.#resolver(eventId).promise;
  }

  attempts(eventId: string): number[] {
    return this.calls.filter((call) => call.eventId === eventId).map((call) => call.attempt);
  }

  #resolver(eventId: string): PromiseWithResolvers<void> {
    const existing = this.#succeeded.get(eventId);
    if (existing) return existing;
    const created = Promise.withResolvers<void>();
    this.#succeeded.set(eventId, created);
    return created;
  }
}

function failsBefore(attempt: number): (current: number) => Error | undefined {
  return (current) => (current < attempt ? new ProbeRefusedError() : undefined);
}

function newRuntime(retryPolicy: RetryPolicy, seed = 1): ConsumerRuntime {
  const runtime = createConsumerRuntime({
    driver,
    withTenant,
    workerDatabase,
    retryPolicy,
    concurrency: 4,
    visibilityTimeoutMs: 10_000,
    clock,
    random: seededRandom(seed),
    logger,
    reporter,
  });
  runtimes.push(runtime);
  return runtime;
}

async function startRuntime(probes: readonly Probe[]): Promise<void> {
  await newRuntime(quickPolicy).start(probes.map((probe) => probe.consumer));
}

async function newQueue(): Promise<string> {
  const queue = `consumers-${randomUUID().slice(0, 8)}`;
  await driver.ensureQueue(queue);
  return queue;
}

function probeEvent(overrides: Partial<Envelope> = {}): Envelope {
  return envelope({ type: PROBE_EVENT, tenantId: tenantA, payload: { note: 'probe' }, ...overrides });
}

/** Every message of the queue acknowledged: handlers done and their transactions committed. */
async function drained(queue: string): Promise<void> {
  await waitUntil(async () => (await driver.stats(queue)).depth === 0);
}

/** The names of the consumers whose effect of the event the tenant sees. */
async function effectsOf(tenantId: string, eventId: string): Promise<string[]> {
  const { rows } = await runWithContext({ requestId: 'test', tenantId }, () =>
    withTenant((tx) => tx.execute<{ note: string }>(sql`select note from probe_effects where event_id = ${eventId} order by note`)),
  );
  return rows.map((row) => row.note);
}

async function ledgerOf(eventId: string): Promise<{ tenantId: string; consumer: string }[]> {
  return workerDatabase
    .select({ tenantId: processedMessages.tenantId, consumer: processedMessages.consumer })
    .from(processedMessages)
    .where(eq(processedMessages.eventId, eventId))
    .orderBy(processedMessages.consumer);
}

async function deadLettersOf(eventId: string) {
  return workerDatabase.select().from(deadLetters).where(eq(deadLetters.eventId, eventId));
}

async function seedEffectAsOwner(tenantId: string, eventId: string): Promise<void> {
  await asTenant(
    owner,
    tenantId,
    (client) => client.query(`insert into probe_effects (tenant_id, event_id, note) values ($1, $2, 'seeded by the owner')`, [tenantId, eventId]),
    'commit',
  );
}
