/**
 * MSG-008: events consumed by processes that are SIGKILLed at random points each take effect
 * exactly once, none lost — for both queue drivers.
 *
 * The test process appends the events to the outbox (app role, tenant transactions) and runs the
 * outbox relay; two consumer processes (test/support/messaging/consumer-process.ts: the consumer
 * runtime, its ledger, and an effect that inserts one row into a table with no unique constraint,
 * so a second application would show) consume them. At kill points drawn from a seeded generator —
 * "when the total of applied lines reaches N" — the process that printed the N-th line is
 * SIGKILLed at once, with other messages in flight, and respawned. The run ends when every event
 * has its effect and the queue is empty, i.e. when the messages the dead processes held have come
 * back and been handled (or found in the ledger).
 *
 * Expected duration (2 cores): PostgreSQL 20–30 s, about half of it the wait for the messages of
 * the last killed consumer (pg-boss's shortest heartbeat is 10 s; the supervisor here runs every
 * second); SQS against fauxqs 5–8 s (a 1 s visibility timeout). Process starts take ~1–2 s each.
 *
 * Seeded: the seed is printed; KEEL_TEST_SEED=<seed> replays the same kill points and spread of events over tenants.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, createPool, createWithTenant, deadLetterQueueOf, seededRandom, type QueueDriver } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { startFauxqs, type Fauxqs } from '../../../../test/support/fauxqs.ts';
import { regionalSuperuserUrl, spawnConsumerProcess, type MessagingTarget } from '../../../../test/support/messaging/harness.ts';
import {
  appendEffectEvents,
  countEffects,
  createEffectsTable,
  createTestQueueDriver,
  queryNumber,
  startEffectsRelay,
  type EffectsRelay,
  type QueueDriverKind,
} from '../../../../test/support/messaging/effects.ts';
import type { GroupProcess } from '../../../../test/support/processes.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';

const seed = process.env.KEEL_TEST_SEED ? Number(process.env.KEEL_TEST_SEED) : randomInt(2 ** 31);
console.log(`MSG-008 reliability: seed ${seed} (replay with KEEL_TEST_SEED=${seed})`);

const cases: { kind: QueueDriverKind; events: number; kills: number }[] = [
  { kind: 'postgres', events: 1_000, kills: 6 },
  { kind: 'sqs', events: 200, kills: 3 },
];
const TENANTS = 3;
/** Per consumer process: several deliveries in flight when a kill lands. */
const CONCURRENCY = 8;
const BATCH = 50;
const logger = createLogger({ level: 'warn', destination: process.stderr });

describe.each(cases)('MSG-008 consumers on the $kind driver, killed at random points', ({ kind, events, kills }) => {
  let databases: TestDatabases;
  let superuserUrl: string;
  let fauxqs: Fauxqs | undefined;
  let driver: QueueDriver;
  let relay: EffectsRelay | undefined;
  let fleet: ConsumerFleet | undefined;
  let appPool: ReturnType<typeof createPool>;
  const queue = `reliability-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    databases = await createTestDatabases();
    superuserUrl = regionalSuperuserUrl(databases);
    await createEffectsTable(databases.regional.owner);
    if (kind === 'sqs') fauxqs = await startFauxqs();
    driver = await createTestQueueDriver({ kind, workerUrl: databases.regional.worker, sqsEndpoint: fauxqs?.endpoint, logger });
    await driver.ensureQueue(queue);
    appPool = createPool(databases.regional.app, { applicationName: 'keel-test-producer', logger });
  });
  afterAll(async () => {
    fleet?.kill();
    await fleet?.closed();
    await relay?.stop();
    await driver?.close();
    await appPool?.end();
    await fauxqs?.stop();
    await databases?.drop();
  });

  it(`MSG-008 ${events} events, two consumer processes SIGKILLed ${kills} times in all and respawned: every effect exactly once, none lost`, async () => {
    const random = seededRandom(seed);
    const killPoints = drawKillPoints(random, events, kills);
    const target: MessagingTarget = { kind, queue, appUrl: databases.regional.app, workerUrl: databases.regional.worker, sqsEndpoint: fauxqs?.endpoint };
    const started = performance.now();

    fleet = new ConsumerFleet(2, (generation) => spawnConsumerProcess(target, { seed: seed + generation, concurrency: CONCURRENCY }), killPoints);
    await fleet.ready();
    relay = await startEffectsRelay({ workerUrl: databases.regional.worker, driver, queue, logger });
    const withTenant = createWithTenant(createDatabase(appPool));
    const tenants = Array.from({ length: TENANTS }, () => randomUUID());
    for (let appended = 0; appended < events; appended += BATCH) {
      await appendEffectEvents(withTenant, tenants[Math.floor(random() * TENANTS)]!, Math.min(BATCH, events - appended));
    }

    await Promise.race([
      fleet.failure,
      waitUntil(async () => (await countEffects(superuserUrl)).eventIds === events && (await driver.stats(queue)).depth === 0, 200),
    ]);
    console.log(`MSG-008 ${kind}: ${events} events, SIGKILLs at applied lines ${killPoints.join(', ')}, ${fleet.heldWhenKilled.size} deliveries held by killed processes, done in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    expect(fleet.kills).toBe(kills);
    // The kills interrupted deliveries in flight; those events came back and took effect once too.
    const held = [...fleet.heldWhenKilled];
    expect(held.length).toBeGreaterThan(0);
    expect(await queryNumber(superuserUrl, 'select count(*) from reliability_effects where event_id = any($1::uuid[])', [held])).toBe(held.length);
    expect(await countEffects(superuserUrl)).toEqual({ rows: events, eventIds: events });
    expect(await queryNumber(superuserUrl, 'select count(*) from processed_messages where consumer = $1', ['reliability-effects'])).toBe(events);
    expect(await queryNumber(superuserUrl, 'select count(*) from outbox where published_at is null')).toBe(0);
    expect(await queryNumber(superuserUrl, 'select count(*) from dead_letters')).toBe(0);
    expect((await driver.stats(deadLetterQueueOf(queue))).depth).toBe(0);
  }, 150_000);
});

/** `kills` distinct points among the first three quarters of the applied lines (the run reaches them all), ascending. */
function drawKillPoints(random: () => number, events: number, kills: number): number[] {
  const points = new Set<number>();
  while (points.size < kills) points.add(Math.floor(events * (0.05 + 0.7 * random())));
  return [...points].sort((a, b) => a - b);
}

/**
 * `size` consumer processes, each respawned as soon as it was killed. Counting `applied` lines from
 * all of them, it SIGKILLs the process that printed the line at each kill point, and notes the
 * deliveries that process held when it died. A process that exits on its own before `kill()`
 * fails the run (`failure`).
 */
class ConsumerFleet {
  kills = 0;
  /** Events whose delivery a process had received and not finished handling when it died. */
  readonly heldWhenKilled = new Set<string>();
  readonly failure: Promise<never>;
  readonly #processes: GroupProcess[] = [];
  readonly #spawn: (generation: number) => GroupProcess;
  readonly #killPoints: number[];
  readonly #failed = Promise.withResolvers<never>();
  #generation = 0;
  #applied = 0;
  #stopping = false;

  constructor(size: number, spawn: (generation: number) => GroupProcess, killPoints: readonly number[]) {
    this.#spawn = spawn;
    this.#killPoints = [...killPoints];
    this.failure = this.#failed.promise;
    this.failure.catch(() => {}); // raced by the test
    for (let slot = 0; slot < size; slot += 1) this.#start(slot);
  }

  ready(): Promise<void> {
    return Promise.all(this.#processes.map((child) => Promise.race([child.waitForLine('ready'), this.failure]))).then(() => {});
  }

  kill(): void {
    this.#stopping = true;
    for (const child of this.#processes) child.kill();
  }

  async closed(): Promise<void> {
    await Promise.all(this.#processes.map((child) => child.closed));
  }

  #start(slot: number): void {
    const child = this.#spawn((this.#generation += 1));
    this.#processes[slot] = child;
    let killed = false;
    child.onLine((line) => {
      if (killed || !line.startsWith('applied ')) return;
      this.#applied += 1;
      if (this.#applied !== this.#killPoints[0]) return;
      this.#killPoints.shift();
      killed = true;
      this.kills += 1;
      child.kill();
    });
    void child.closed.then((exit) => {
      if (this.#stopping) return;
      if (!killed) {
        this.#failed.reject(new Error(`a consumer process exited on its own (${JSON.stringify(exit)}):\n${child.stderr()}`));
        return;
      }
      // Everything it printed before it died is in its output: what it received and never finished.
      for (const eventId of unfinishedDeliveries(child.stdoutLines())) this.heldWhenKilled.add(eventId);
      this.#start(slot);
    });
  }
}

/** Event ids of deliveries with a `received` line and no `handled` line after it. */
function unfinishedDeliveries(lines: readonly string[]): string[] {
  const open = new Map<string, number>();
  for (const line of lines) {
    const [what, eventId] = line.split(' ');
    if (eventId === undefined) continue;
    if (what === 'received') open.set(eventId, (open.get(eventId) ?? 0) + 1);
    if (what === 'handled') open.set(eventId, open.get(eventId)! - 1);
  }
  return [...open].filter(([, count]) => count > 0).map(([eventId]) => eventId);
}
