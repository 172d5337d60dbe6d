import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  appendToOutbox,
  createConsumerRuntime,
  createDatabase,
  createLogReporter,
  createOutboxRelay,
  createPool,
  createPostgresQueueDriver,
  createSqsQueueDriver,
  defineConsumer,
  messageRoutes,
  runWithContext,
  seededRandom,
  systemClock,
  withClient,
  type ConsumerDefinition,
  type ConsumerRuntime,
  type ConsumerRuntimeOptions,
  type Envelope,
  type Logger,
  type OutboxRelay,
  type QueueDriver,
  type WithTenant,
} from '@keel/kernel';

/**
 * What the messaging reliability tests (and the benchmark) run: one event type, one consumer whose
 * effect is a row in `reliability_effects`. That table has no unique constraint on the event id, so
 * an effect applied twice shows as two rows.
 */
export const EFFECT_EVENT_TYPE = 'reliability.tested';
export const EFFECTS_TABLE = 'reliability_effects';

/** Creates the effects table as the regional owner, as a tenant table (RLS, app role granted). */
export async function createEffectsTable(ownerUrl: string): Promise<void> {
  await withClient(ownerUrl, async (client) => {
    await client.query(`create table ${EFFECTS_TABLE} (
      tenant_id uuid not null,
      event_id uuid not null,
      consumer_pid int,
      applied_at timestamptz not null default now()
    )`);
    await client.query(`select keel_isolate_tenant_table('${EFFECTS_TABLE}')`);
  });
}

export interface EffectsConsumerOptions {
  name?: string;
  /** Called inside the effect's transaction, after its row was inserted. */
  onEffect?: (envelope: Envelope) => void;
}

/** The consumer: inserts one effect row per event, in the runtime's tenant transaction (with the ledger row). */
export function effectsConsumer(queue: string, options: EffectsConsumerOptions = {}): ConsumerDefinition<never> {
  const consumer = defineConsumer({
    name: options.name ?? 'reliability-effects',
    queue,
    eventTypes: [EFFECT_EVENT_TYPE],
    payload: z.object({ sequence: z.number().int() }),
    async handle({ tx, tenantId, envelope }) {
      await tx.execute(sql`insert into ${sql.identifier(EFFECTS_TABLE)} (tenant_id, event_id, consumer_pid) values (${tenantId}, ${envelope.eventId}, ${process.pid})`);
      options.onEffect?.(envelope);
    },
  });
  return consumer as ConsumerDefinition<never>;
}

/** Appends `count` effect events for one tenant in one tenant transaction, as a producer does. */
export async function appendEffectEvents(withTenant: WithTenant, tenantId: string, count: number): Promise<string[]> {
  const events = Array.from({ length: count }, (_, sequence) => ({ type: EFFECT_EVENT_TYPE, payload: { sequence } }));
  return runWithContext({ requestId: randomUUID(), tenantId }, () => withTenant((tx, tenant) => appendToOutbox(tx, tenant, events)));
}

export interface EffectsRelay {
  relay: OutboxRelay;
  /** Stops the relay and closes its pool (not the driver). */
  stop(): Promise<void>;
}

/** Starts an outbox relay (worker role) that routes effect events to `queue`. */
export async function startEffectsRelay(options: { workerUrl: string; driver: QueueDriver; queue: string; logger: Logger; pollIntervalMs?: number }): Promise<EffectsRelay> {
  const pool = createPool(options.workerUrl, { applicationName: 'keel-test-relay', logger: options.logger });
  const relay = createOutboxRelay({
    workerDatabase: createDatabase(pool),
    workerUrl: options.workerUrl,
    driver: options.driver,
    routes: messageRoutes([effectsConsumer(options.queue)]),
    logger: options.logger,
    reporter: createLogReporter(options.logger),
    pollIntervalMs: options.pollIntervalMs ?? 200,
  });
  await relay.start();
  return {
    relay,
    async stop() {
      await relay.stop();
      await pool.end();
    },
  };
}

export type QueueDriverKind = QueueDriver['kind'];

export interface TestQueueDriverOptions {
  kind: QueueDriverKind;
  /** The regional worker role (PostgreSQL driver). */
  workerUrl: string;
  /** fauxqs's endpoint (SQS driver). */
  sqsEndpoint?: string | undefined;
  logger: Logger;
  /** Transport deliveries before `<queue>-dlq`: high, so that killed consumers never push a message there. */
  maxTransportAttempts?: number;
}

export const TEST_SQS_QUEUE_PREFIX = 'keel';

/**
 * A queue driver as the tests' processes create it. PostgreSQL: the supervisor runs every second,
 * so a dead consumer's messages come back about 10 s (pg-boss's shortest heartbeat) after it died.
 */
export async function createTestQueueDriver(options: TestQueueDriverOptions): Promise<QueueDriver> {
  const maxTransportAttempts = options.maxTransportAttempts ?? 20;
  if (options.kind === 'sqs') {
    if (options.sqsEndpoint === undefined) throw new Error('the SQS driver needs an endpoint (fauxqs)');
    return createSqsQueueDriver({
      connection: { endpoint: options.sqsEndpoint, region: 'us-east-1' },
      queuePrefix: TEST_SQS_QUEUE_PREFIX,
      logger: options.logger,
      maxTransportAttempts,
    });
  }
  return createPostgresQueueDriver({ connectionString: options.workerUrl, logger: options.logger, maxTransportAttempts, superviseIntervalSeconds: 1 });
}

/** Counts across every tenant: give a URL that bypasses row-level security (the cluster's superuser). */
export async function countEffects(url: string): Promise<{ rows: number; eventIds: number }> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ rows: number; eventIds: number }>(`select count(*)::int as rows, count(distinct event_id)::int as "eventIds" from ${EFFECTS_TABLE}`);
    return rows[0]!;
  });
}

/** The first column of the first row of a query, as a number (counts). */
export async function queryNumber(url: string, text: string, values: unknown[] = []): Promise<number> {
  return withClient(url, async (client) => Number(Object.values((await client.query(text, values)).rows[0] as object)[0]));
}


/** A variable of the environment a test process was given; throws when it is missing. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

/** The consumer runtime as the messaging tests run it: quick retries, seeded jitter, the system clock. */
export function createTestConsumerRuntime(
  options: Pick<ConsumerRuntimeOptions, 'driver' | 'withTenant' | 'workerDatabase' | 'logger' | 'reporter'> & Partial<ConsumerRuntimeOptions>,
): ConsumerRuntime {
  return createConsumerRuntime({
    retryPolicy: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
    concurrency: 4,
    visibilityTimeoutMs: 10_000,
    clock: systemClock,
    random: seededRandom(5),
    ...options,
  });
}
