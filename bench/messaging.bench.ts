/**
 * Messaging benchmark, per queue driver (PostgreSQL through pg-boss; SQS against fauxqs, an
 * in-memory emulator on loopback — not AWS):
 *
 * 1. raw driver throughput: `send` (batches of 100, as the relay sends) → `consume` with a no-op
 *    handler, no ledger, no database work of Keel's — the baseline;
 * 2. end to end: producers append events to the outbox in tenant transactions (50 events each) →
 *    the outbox relay publishes → the queue → the consumer runtime applies each event (its effect,
 *    one row, and its ledger row in one tenant transaction);
 * 3. outbox relay lag (commit → published, as the producer and the relay see them) while producers
 *    commit one event per transaction at the rate measured in 2, the consumers running.
 *
 * Everything runs in this process on its own embedded PostgreSQL, with Keel's default queue
 * configuration (concurrency, visibility, relay poll interval). Counts: BENCH_MESSAGES (default
 * 5000) for 1 and 2, BENCH_LAG_EVENTS (default 2000) for 3. Writes bench/results/messaging.json.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createConsumerRuntime,
  createDatabase,
  createLogger,
  createLogReporter,
  createPool,
  createQueueDriver,
  createWithTenant,
  loadConfig,
  seededRandom,
  systemClock,
  type Envelope,
  type QueueConfig,
  type QueueDriver,
} from '@keel/kernel';
import { startFauxqs, fauxqsRegion, type Fauxqs } from '../test/support/fauxqs.ts';
import {
  appendEffectEvents,
  countEffects,
  createEffectsTable,
  EFFECT_EVENT_TYPE,
  effectsConsumer,
  startEffectsRelay,
  type QueueDriverKind,
} from '../test/support/messaging/effects.ts';
import { machine, percentile, printTable, startBenchPostgres, writeResults, type BenchPostgres } from './support.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5_000);
const LAG_EVENTS = Number(process.env.BENCH_LAG_EVENTS ?? 2_000);
const SEND_BATCH = 100;
const APPEND_BATCH = 50;
const TENANTS = 10;
const SQS_NOTE = 'SQS figures are against fauxqs, an in-memory SQS emulator in this process on loopback — not AWS';

const logger = createLogger({ level: 'warn', destination: process.stderr });
const reporter = createLogReporter(logger);
/** Keel's defaults: QUEUE_CONCURRENCY, QUEUE_VISIBILITY_TIMEOUT_MS, OUTBOX_POLL_INTERVAL_MS, … */
const queueConfig = loadConfig({}).queue;
const tenants = Array.from({ length: TENANTS }, () => randomUUID());

interface Throughput {
  messages: number;
  seconds: number;
  perSecond: number;
}

interface DriverResult {
  driver: QueueDriverKind;
  transport: string;
  raw: Throughput;
  endToEnd: Throughput;
  /** End to end ÷ raw. */
  ratio: number;
  relayLag: { events: number; targetPerSecond: number; achievedPerSecond: number; p50Ms: number; p99Ms: number; maxMs: number };
}

console.log(`messaging benchmark: ${MESSAGES} messages per throughput run, ${LAG_EVENTS} events for the relay lag; concurrency ${queueConfig.concurrency}`);
const postgres = await startBenchPostgres();
const fauxqs = await startFauxqs();
try {
  await createEffectsTable(postgres.regional.owner);
  const results: DriverResult[] = [];
  for (const kind of ['postgres', 'sqs'] as const) {
    console.log(`\n${kind}: running…`);
    results.push(await benchDriver(kind, postgres, fauxqs));
  }
  const effects = await countEffects(postgres.regionalSuperuserUrl);
  const expected = results.length * (MESSAGES + LAG_EVENTS);
  if (effects.rows !== expected || effects.eventIds !== expected) throw new Error(`expected ${expected} effects, each once; found ${JSON.stringify(effects)}`);

  console.log('');
  printTable(
    ['driver', 'raw msg/s', 'end-to-end msg/s', 'with ledger / raw', 'relay lag p50', 'relay lag p99', 'lag measured at'],
    results.map((result) => [
      `${result.driver} (${result.transport})`,
      result.raw.perSecond.toFixed(0),
      result.endToEnd.perSecond.toFixed(0),
      `${(result.ratio * 100).toFixed(0)} %`,
      `${result.relayLag.p50Ms.toFixed(1)} ms`,
      `${result.relayLag.p99Ms.toFixed(1)} ms`,
      `${result.relayLag.achievedPerSecond.toFixed(0)} events/s`,
    ]),
  );
  console.log(`\nNote: ${SQS_NOTE}.`);
  console.log(`Every effect was applied exactly once (${effects.rows} rows).`);
  const file = await writeResults('messaging', {
    benchmark: 'messaging',
    date: new Date().toISOString(),
    machine: machine(),
    settings: {
      messages: MESSAGES,
      lagEvents: LAG_EVENTS,
      sendBatch: SEND_BATCH,
      appendBatch: APPEND_BATCH,
      tenants: TENANTS,
      concurrency: queueConfig.concurrency,
      visibilityTimeoutMs: queueConfig.visibilityTimeoutMs,
      outboxPollIntervalMs: queueConfig.outboxPollIntervalMs,
      superviseIntervalMs: queueConfig.superviseIntervalMs,
    },
    notes: [SQS_NOTE, 'raw: send → consume, no-op handler; end to end: outbox append → relay → queue → consumer runtime (effect + ledger in one tenant transaction)'],
    drivers: results.map(rounded),
  });
  console.log(`Results: ${file}`);
} finally {
  await fauxqs.stop();
  await postgres.stop();
}

async function benchDriver(kind: QueueDriverKind, postgres: BenchPostgres, fauxqs: Fauxqs): Promise<DriverResult> {
  const config: QueueConfig = kind === 'sqs' ? { ...queueConfig, driver: 'sqs', sqs: { endpoint: fauxqs.endpoint, region: fauxqsRegion, queuePrefix: 'bench' } } : { ...queueConfig, driver: 'postgres' };
  const driver = await createQueueDriver(config, { workerUrl: postgres.regional.worker, logger });
  try {
    const raw = await rawThroughput(driver);
    console.log(`  raw: ${raw.perSecond.toFixed(0)} msg/s`);
    const { endToEnd, relayLag } = await endToEndRuns(driver, postgres);
    console.log(`  end to end: ${endToEnd.perSecond.toFixed(0)} msg/s; relay lag p50 ${relayLag.p50Ms.toFixed(1)} ms, p99 ${relayLag.p99Ms.toFixed(1)} ms`);
    return { driver: kind, transport: kind === 'sqs' ? 'fauxqs emulator, loopback' : 'pg-boss', raw, endToEnd, ratio: endToEnd.perSecond / raw.perSecond, relayLag };
  } finally {
    await driver.close();
  }
}

/** send → consume with a no-op handler. */
async function rawThroughput(driver: QueueDriver): Promise<Throughput> {
  const queue = `bench-raw-${randomUUID().slice(0, 8)}`;
  await driver.ensureQueue(queue);
  const handled = countTo(MESSAGES);
  const subscription = await driver.consume(queue, async () => handled.tick(), { concurrency: queueConfig.concurrency, visibilityTimeoutMs: queueConfig.visibilityTimeoutMs });
  const started = performance.now();
  for (let sent = 0; sent < MESSAGES; sent += SEND_BATCH) {
    await driver.send(
      queue,
      Array.from({ length: Math.min(SEND_BATCH, MESSAGES - sent) }, (_, index) => ({ envelope: envelope(sent + index) })),
    );
  }
  await handled.done;
  const seconds = (performance.now() - started) / 1000;
  await subscription.stop();
  return { messages: MESSAGES, seconds, perSecond: MESSAGES / seconds };
}

/** Outbox → relay → queue → consumer runtime: a burst for the throughput, then a paced run for the relay lag. */
async function endToEndRuns(driver: QueueDriver, postgres: BenchPostgres): Promise<Pick<DriverResult, 'endToEnd' | 'relayLag'>> {
  const queue = `bench-e2e-${randomUUID().slice(0, 8)}`;
  const publishedAt = new Map<string, number>();
  let handled = countTo(MESSAGES);
  // The relay's sends are timed; the runtime's deliveries are counted once handled.
  const timedDriver: QueueDriver = {
    ...driver,
    async send(name, messages) {
      await driver.send(name, messages);
      const now = performance.now();
      for (const message of messages) publishedAt.set(message.envelope.eventId, now);
    },
  };
  const countingDriver: QueueDriver = {
    ...driver,
    consume: (name, handler, options) =>
      driver.consume(
        name,
        async (delivered) => {
          await handler(delivered);
          handled.tick();
        },
        options,
      ),
  };
  const producerPool = createPool(postgres.regional.app, { applicationName: 'keel-bench-producer', logger });
  const consumerPool = createPool(postgres.regional.app, { applicationName: 'keel-bench-consumer', logger });
  const workerPool = createPool(postgres.regional.worker, { applicationName: 'keel-bench-worker', logger });
  const produce = createWithTenant(createDatabase(producerPool));
  const runtime = createConsumerRuntime({
    driver: countingDriver,
    withTenant: createWithTenant(createDatabase(consumerPool)),
    workerDatabase: createDatabase(workerPool),
    retryPolicy: { maxAttempts: queueConfig.maxAttempts, baseDelayMs: queueConfig.retryBaseDelayMs, maxDelayMs: queueConfig.retryMaxDelayMs },
    concurrency: queueConfig.concurrency,
    visibilityTimeoutMs: queueConfig.visibilityTimeoutMs,
    clock: systemClock,
    random: seededRandom(1),
    logger,
    reporter,
  });
  await runtime.start([effectsConsumer(queue)]);
  const relay = await startEffectsRelay({ workerUrl: postgres.regional.worker, driver: timedDriver, queue, logger, pollIntervalMs: queueConfig.outboxPollIntervalMs });
  try {
    // Throughput: producers append everything as fast as they can; the clock stops at the last effect.
    const started = performance.now();
    for (let appended = 0; appended < MESSAGES; appended += APPEND_BATCH) {
      await appendEffectEvents(produce, tenants[(appended / APPEND_BATCH) % TENANTS]!, Math.min(APPEND_BATCH, MESSAGES - appended));
    }
    await handled.done;
    const seconds = (performance.now() - started) / 1000;
    const endToEnd = { messages: MESSAGES, seconds, perSecond: MESSAGES / seconds };

    // Relay lag at that rate: one event per transaction, on schedule (open loop), consumers running.
    handled = countTo(LAG_EVENTS);
    const intervalMs = 1000 / endToEnd.perSecond;
    const committedAt = new Map<string, number>();
    const appends: Promise<void>[] = [];
    const paceStart = performance.now();
    for (let index = 0; index < LAG_EVENTS; index += 1) {
      const due = paceStart + index * intervalMs;
      if (due > performance.now()) await sleep(due - performance.now());
      appends.push(
        appendEffectEvents(produce, tenants[index % TENANTS]!, 1).then(([eventId]) => {
          committedAt.set(eventId!, performance.now());
        }),
      );
    }
    await Promise.all(appends);
    const paceSeconds = (Math.max(...committedAt.values()) - paceStart) / 1000;
    await handled.done;
    const lags = [...committedAt].map(([eventId, committed]) => Math.max(0, publishedAt.get(eventId)! - committed));
    return {
      endToEnd,
      relayLag: {
        events: LAG_EVENTS,
        targetPerSecond: endToEnd.perSecond,
        achievedPerSecond: LAG_EVENTS / paceSeconds,
        p50Ms: percentile(lags, 50),
        p99Ms: percentile(lags, 99),
        maxMs: Math.max(...lags),
      },
    };
  } finally {
    await relay.stop();
    await runtime.stop();
    await Promise.all([producerPool.end(), consumerPool.end(), workerPool.end()]);
  }
}

/** Figures to 0.1 (ms, messages per second) and 0.001 (seconds, ratio) for the results file. */
function rounded(result: DriverResult): DriverResult {
  const throughput = (figures: Throughput): Throughput => ({ messages: figures.messages, seconds: round(figures.seconds, 3), perSecond: round(figures.perSecond, 1) });
  const lag = result.relayLag;
  return {
    ...result,
    raw: throughput(result.raw),
    endToEnd: throughput(result.endToEnd),
    ratio: round(result.ratio, 3),
    relayLag: { events: lag.events, targetPerSecond: round(lag.targetPerSecond, 1), achievedPerSecond: round(lag.achievedPerSecond, 1), p50Ms: round(lag.p50Ms, 1), p99Ms: round(lag.p99Ms, 1), maxMs: round(lag.maxMs, 1) },
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function envelope(sequence: number): Envelope {
  return { eventId: randomUUID(), type: EFFECT_EVENT_TYPE, tenantId: tenants[sequence % TENANTS]!, occurredAt: new Date().toISOString(), payload: { sequence }, attempt: 1 };
}

/** Resolves `done` at the `target`-th tick. */
function countTo(target: number): { tick(): void; done: Promise<void> } {
  let count = 0;
  const done = Promise.withResolvers<void>();
  return {
    tick() {
      count += 1;
      if (count === target) done.resolve();
    },
    done: done.promise,
  };
}
