import { randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresQueueDriver, deadLetterQueueOf, type Envelope, type QueueDriver } from '@keel/kernel';
import { createCapturingLogger } from '../../../../../test/support/capture.ts';
import { createTestDatabases, type TestDatabases } from '../../../../../test/support/databases.ts';
import { Deliveries, envelope, queueDriverContract, waitUntil } from '../../../../../test/support/queue-driver-contract.ts';

const maxTransportAttempts = 2;
const { logger, logs } = createCapturingLogger();
let databases: TestDatabases;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await databases?.drop();
});

describe('MSG-001 MSG-002 MSG-003 the PostgreSQL queue driver', () =>
  queueDriverContract(async () => {
    const driver = await createPostgresQueueDriver({ connectionString: databases.regional.worker, logger, maxTransportAttempts });
    return { driver, maxTransportAttempts, reportsMessageAge: true, cleanup: () => driver.close() };
  }));

describe('MSG-002 the PostgreSQL queue driver delivers again the message of a consumer whose process died', () => {
  it('delivers it to another consumer once the dead one stopped heartbeating', async () => {
    const connection = await startCuttableConnection(databases.regional.worker);
    const dying = await startDriver(connection.url);
    const survivor = await startDriver(databases.regional.worker, { superviseIntervalSeconds: 1 });
    const queue = await newQueue(survivor);
    const held = Promise.withResolvers<Envelope>();
    const never = Promise.withResolvers<void>();
    cleanups.push(async () => never.resolve());
    await dying.consume(
      queue,
      async (received) => {
        held.resolve(received);
        await never.promise;
      },
      { concurrency: 1, visibilityTimeoutMs: 1_000 },
    );
    const sent = envelope();
    await survivor.send(queue, [{ envelope: sent }]);
    expect(await held.promise).toEqual(sent);

    await connection.cut();
    const redelivered = new Deliveries(1);
    const subscription = await survivor.consume(queue, redelivered.handler, { concurrency: 1, visibilityTimeoutMs: 1_000 });
    cleanups.push(() => subscription.stop());
    expect(await redelivered.all).toEqual([sent]);
  });
});

describe('the PostgreSQL queue driver', () => {
  it('fails a message that is not an envelope without handling it, until it is dead-lettered', async () => {
    const driver = await startDriver(databases.regional.worker);
    const queue = await newQueue(driver);
    const handled: Envelope[] = [];
    const subscription = await driver.consume(queue, async (received) => void handled.push(received), { concurrency: 1, visibilityTimeoutMs: 1_000 });
    cleanups.push(() => subscription.stop());
    await driver.send(queue, [{ envelope: { ...envelope(), attempt: 0 } }]);
    await waitUntil(async () => (await driver.stats(deadLetterQueueOf(queue))).depth === 1);
    expect(handled).toEqual([]);
    expect((await driver.stats(queue)).depth).toBe(0);
    expect(logs.filter((line) => line.queue === queue && String(line.msg).includes('not an envelope'))).toHaveLength(maxTransportAttempts);
  });

  it('keeps pg-boss in its own schema: the worker role owns its tables, and may create no schema and nothing in public', async () => {
    await startDriver(databases.regional.worker);
    const worker = new pg.Client({ connectionString: databases.regional.worker });
    await worker.connect();
    cleanups.push(() => worker.end());
    const { rows } = await worker.query<{ owner: string }>(
      `select distinct pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'pgboss'`,
    );
    expect(rows).toEqual([{ owner: 'keel_regional_worker' }]);
    const denied = { code: '42501', message: expect.stringContaining('permission denied') };
    await expect(worker.query('create schema keel_regional_app')).rejects.toMatchObject(denied);
    await expect(worker.query('create table public.planted (id int)')).rejects.toMatchObject(denied);
  });
});

async function startDriver(connectionString: string, options: { superviseIntervalSeconds?: number } = {}): Promise<QueueDriver> {
  const driver = await createPostgresQueueDriver({ connectionString, logger, maxTransportAttempts, ...options });
  cleanups.push(() => driver.close());
  return driver;
}

async function newQueue(driver: QueueDriver): Promise<string> {
  const queue = `driver-${randomUUID().slice(0, 8)}`;
  await driver.ensureQueue(queue);
  return queue;
}

/**
 * A TCP relay to the database. `cut()` drops every connection through it and refuses new ones, so
 * to the database its client is gone as a killed process is: no heartbeat, no acknowledgement.
 */
async function startCuttableConnection(databaseUrl: string): Promise<{ url: string; cut(): Promise<void> }> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  let closed: Promise<void> | undefined;
  const cut = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };
  cleanups.push(cut);
  return { url: url.toString(), cut };
}
