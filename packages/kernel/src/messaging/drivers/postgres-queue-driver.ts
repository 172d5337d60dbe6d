import { PgBoss, type ConstructorOptions, type Job, type JobAttempt, type Queue } from 'pg-boss';
import type { Logger } from '../../logging/logger.ts';
import { envelopeSchema, type Envelope } from '../envelope.ts';
import { deadLetterQueueOf, type ConsumeOptions, type OutgoingMessage, type QueueDriver, type QueueStats, type QueueSubscription } from '../queue-driver.ts';

export interface PostgresQueueDriverOptions {
  /** The database's worker role, which may create in the queue schema (regional migration `queue_schema`). */
  connectionString: string;
  logger: Logger;
  /** Deliveries of a message before it moves to `<queue>-dlq`. */
  maxTransportAttempts: number;
  /** Where pg-boss keeps its tables (default `pgboss`); it must exist, and the role may create in it. */
  schema?: string;
  /**
   * How often pg-boss's supervisor fails back the messages of consumers that stopped heartbeating
   * (a dead process) and deletes old jobs: how late, at most, such a message comes back after its
   * visibility timeout. Default 10.
   */
  superviseIntervalSeconds?: number;
}

/** pg-boss refuses a heartbeat below 10 s, so shorter visibility timeouts are rounded up to it. */
const MIN_HEARTBEAT_SECONDS = 10;
/** The visibility timeout of the messages of a queue nobody has consumed yet (Keel's default). */
const DEFAULT_HEARTBEAT_SECONDS = 60;
/** The longest a handler may hold a message even while its process heartbeats (as on SQS). */
const HANDLER_LIMIT_SECONDS = 12 * 60 * 60;
/** Between a failed delivery and the next one; backoff is the consumer runtime's business. */
const RETRY_DELAY_SECONDS = 1;
/** Completed jobs are kept this long for inspection; Keel's ledger is what deduplicates. */
const COMPLETED_RETENTION_SECONDS = 15 * 60;
/** How long a consumer with free slots waits before it looks for messages again. */
const POLL_INTERVAL_MS = 500;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,49}$/;

/**
 * The queue port on PostgreSQL, through pg-boss. A message is a pg-boss job whose data is the
 * envelope. A consumer heartbeats the jobs it holds every half visibility timeout, so a handler may
 * run past the timeout while its process lives; when the process dies the heartbeats stop and the
 * supervisor fails its jobs back. A failed or abandoned delivery is retried by pg-boss
 * (`retryLimit`), and after `maxTransportAttempts` deliveries moved to the queue's dead-letter queue.
 */
export async function createPostgresQueueDriver(options: PostgresQueueDriverOptions): Promise<QueueDriver> {
  const { logger, maxTransportAttempts } = options;
  const schema = options.schema ?? 'pgboss';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`queue schema must be a lower-case identifier, got ${JSON.stringify(schema)}`);
  if (!Number.isInteger(maxTransportAttempts) || maxTransportAttempts < 1) throw new Error('maxTransportAttempts must be an integer of at least 1');
  const superviseIntervalSeconds = options.superviseIntervalSeconds ?? 10;

  const config: ConstructorOptions = {
    connectionString: options.connectionString,
    application_name: 'keel-queue',
    schema,
    // Installs or migrates pg-boss's tables inside the schema the migration created.
    migrate: true,
    createSchema: false,
    // No cron, job flows, instance registry, vacuum advice or tracing: Keel uses none of them.
    schedule: false,
    flowIntervalSeconds: 60 * 60,
    registerInstance: false,
    monitorVacuum: false,
    openTelemetry: { enabled: false },
    // The supervisor fails back the jobs of dead consumers (and of handlers past the limit) and
    // deletes old jobs.
    supervise: true,
    superviseIntervalSeconds,
    monitorIntervalSeconds: superviseIntervalSeconds,
    maintenanceIntervalSeconds: 5 * 60,
  };
  const boss = new PgBoss(config);
  boss.on('error', (error) => logger.error({ err: error }, 'queue (pg-boss) error'));
  boss.on('warning', (warning) => logger.warn({ data: warning.data }, `queue (pg-boss): ${warning.message}`));
  await boss.start();
  const db = boss.getDb();

  const queueOptions = {
    // pg-boss delivers a job once, then once more per retry.
    retryLimit: maxTransportAttempts - 1,
    retryDelay: RETRY_DELAY_SECONDS,
    retryBackoff: false,
    expireInSeconds: HANDLER_LIMIT_SECONDS,
    deleteAfterSeconds: COMPLETED_RETENTION_SECONDS,
  } satisfies Omit<Queue, 'name'>;

  async function ensureOne(queue: string, extra: { deadLetter?: string }): Promise<void> {
    // Creating does nothing when the queue exists; the update brings its options to this
    // configuration. The heartbeat is left alone: consume() sets it from the visibility timeout.
    await boss.createQueue(queue, { ...queueOptions, ...extra, heartbeatSeconds: DEFAULT_HEARTBEAT_SECONDS });
    await boss.updateQueue(queue, { ...queueOptions, ...extra });
  }

  const subscriptions = new Set<QueueSubscription>();

  /**
   * Fetches as many jobs as there are free slots, at once again while every slot fills, else after
   * a short poll or when a slot frees; each job runs its handler and is then completed or failed,
   * for the attempt that was fetched only (a claim the supervisor took back stays taken).
   */
  function startConsumer(queue: string, handler: (envelope: Envelope) => Promise<void>, concurrency: number): QueueSubscription {
    const inFlight = new Set<Promise<void>>();
    let stopping = false;
    let wakeUp = Promise.withResolvers<void>();
    const pause = async (ms?: number) => {
      const timer = ms === undefined ? undefined : setTimeout(wakeUp.resolve, ms);
      await wakeUp.promise;
      clearTimeout(timer);
      wakeUp = Promise.withResolvers<void>();
    };

    async function deliver(job: Job<unknown>): Promise<void> {
      const attempt: JobAttempt = { id: job.id, retryCount: job.retryCount };
      const heartbeat = job.heartbeatSeconds
        ? setInterval(() => boss.touch(queue, attempt).catch((error: unknown) => logger.error({ err: error, queue, jobId: job.id }, 'queue heartbeat failed')), job.heartbeatSeconds * 500)
        : undefined;
      try {
        const failure = await handle(job);
        if (failure) await boss.fail(queue, attempt, failure);
        else await boss.complete(queue, attempt);
      } catch (error) {
        // Left active: the supervisor fails it back once its heartbeat is stale.
        logger.error({ err: error, queue, jobId: job.id }, 'queue message could not be settled');
      } finally {
        clearInterval(heartbeat);
      }
    }

    async function handle(job: Job<unknown>): Promise<{ message: string } | undefined> {
      const parsed = envelopeSchema.safeParse(job.data);
      if (!parsed.success) {
        logger.error({ queue, jobId: job.id, issues: parsed.error.issues }, 'queue message is not an envelope: failed without handling');
        return { message: 'not an envelope' };
      }
      try {
        await handler(parsed.data);
        return undefined;
      } catch (error) {
        logger.warn({ err: error, queue, jobId: job.id, eventId: parsed.data.eventId, delivery: job.retryCount + 1 }, 'queue handler failed: the message will be delivered again');
        return { message: error instanceof Error ? error.message : String(error) };
      }
    }

    async function run(): Promise<void> {
      while (!stopping) {
        const free = concurrency - inFlight.size;
        if (free === 0) {
          await pause();
          continue;
        }
        let fetched: Job<unknown>[] = [];
        try {
          fetched = await boss.fetch<unknown>(queue, { batchSize: free });
        } catch (error) {
          logger.error({ err: error, queue }, 'queue fetch failed');
        }
        for (const job of fetched) {
          const delivery: Promise<void> = deliver(job).finally(() => {
            inFlight.delete(delivery);
            wakeUp.resolve();
          });
          inFlight.add(delivery);
        }
        if (fetched.length < free) await pause(POLL_INTERVAL_MS);
      }
    }

    const running = run();
    const subscription: QueueSubscription = {
      async stop() {
        stopping = true;
        wakeUp.resolve();
        await running;
        await Promise.all(inFlight);
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    kind: 'postgres',

    async ensureQueue(queue) {
      const deadLetter = deadLetterQueueOf(queue);
      await ensureOne(deadLetter, {});
      await ensureOne(queue, { deadLetter });
    },

    async send(queue, messages: readonly OutgoingMessage[]) {
      if (messages.length === 0) return;
      // One statement for the batch. Job ids are pg-boss's own: a retry the runtime schedules is a
      // new message with the same event id, so the event id cannot be the job's.
      await boss.insert(
        queue,
        messages.map(({ envelope, delayMs }) => ({
          data: envelope,
          // An interval the database adds to its own clock.
          ...(delayMs !== undefined && delayMs > 0 ? { startAfter: `${delayMs} milliseconds` } : {}),
        })),
      );
    },

    async consume(queue, handler, { concurrency, visibilityTimeoutMs }: ConsumeOptions): Promise<QueueSubscription> {
      // pg-boss stamps a job's heartbeat interval when it is sent: set the queue's for later sends,
      // then bring the messages already waiting to it.
      if (!(await boss.getQueue(queue))) throw new Error(`queue ${queue} does not exist: ensureQueue() it first`);
      const heartbeatSeconds = Math.max(MIN_HEARTBEAT_SECONDS, Math.ceil(visibilityTimeoutMs / 1000));
      await boss.updateQueue(queue, { heartbeatSeconds });
      await db.executeSql(`update ${schema}.job set heartbeat_seconds = $2 where name = $1 and state < 'active'`, [queue, heartbeatSeconds]);
      return startConsumer(queue, handler, concurrency);
    },

    async stats(queue): Promise<QueueStats> {
      // Straight from the job table: pg-boss's cached counts lag behind sends.
      const { rows } = await db.executeSql(
        `select count(*)::int as depth, (extract(epoch from now() - min(created_on)) * 1000)::float8 as "ageMs"
           from ${schema}.job
          where name = $1 and state < 'completed'`,
        [queue],
      );
      const { depth, ageMs } = rows[0] as { depth: number; ageMs: number | null };
      return { depth, oldestMessageAgeMs: ageMs === null ? null : Math.max(0, Math.floor(ageMs)) };
    },

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await boss.stop({ graceful: true, close: true });
    },
  };
}
