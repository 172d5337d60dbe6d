import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerArgs } from '@keel/cli/cluster';
import { findFreePort, loadConfig } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { spawnProcessGroup, type GroupProcess } from '../../../../test/support/processes.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { connect } from '../../../../test/support/realtime-client.ts';

let redis: GroupProcess;
let redisUrl: string;

beforeAll(async () => {
  const port = await findFreePort();
  redis = spawnProcessGroup('redis-server', redisServerArgs(port), { label: 'redis-server' });
  await redis.waitForLine('Ready to accept connections');
  redisUrl = `redis://127.0.0.1:${port}`;
});

afterAll(async () => {
  redis?.kill();
  await redis?.closed;
});

describe('RT-010 the real-time adapter is configuration', () => {
  it('RT-010 REALTIME_ADAPTER is memory unless set, and takes postgres or redis', () => {
    expect(loadConfig({}).realtimeAdapter).toEqual({ kind: 'memory' });
    expect(loadConfig({ REALTIME_ADAPTER: 'postgres' }).realtimeAdapter).toEqual({ kind: 'postgres' });
    expect(loadConfig({ REALTIME_ADAPTER: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' }).realtimeAdapter).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379' });
  });

  it('RT-010 refuses to start with the redis adapter and no REDIS_URL, or an unknown adapter, naming the variable', () => {
    expect(() => loadConfig({ REALTIME_ADAPTER: 'redis' })).toThrow('Invalid configuration: REDIS_URL is required with REALTIME_ADAPTER=redis');
    expect(() => loadConfig({ REALTIME_ADAPTER: 'kafka' })).toThrow(/^Invalid configuration: REALTIME_ADAPTER /);
    expect(() => loadConfig({ REALTIME_ADAPTER: 'redis', REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/^Invalid configuration: REDIS_URL /);
  });
});

describe('RT-012 the PostgreSQL adapter needs no DDL: its table comes from a migration, for the worker role', () => {
  it('RT-012 the worker role may write, read and delete the adapter\'s payloads; the app role may not touch them', async () => {
    const keel = await startTestKeel();
    try {
      const worker = new pg.Client({ connectionString: keel.databases.regional.worker });
      const app = new pg.Client({ connectionString: keel.databases.regional.app });
      await Promise.all([worker.connect(), app.connect()]);
      try {
        const { rows } = await worker.query<{ id: string }>(`insert into realtime_attachments (payload) values ('\\x01'::bytea) returning id`);
        expect((await worker.query('select payload from realtime_attachments where id = $1', [rows[0]!.id])).rowCount).toBe(1);
        expect((await worker.query(`delete from realtime_attachments where created_at < now() + interval '1 minute'`)).rowCount).toBe(1);
        await expect(app.query('select 1 from realtime_attachments')).rejects.toMatchObject({ code: '42501' });
        await expect(worker.query('create table realtime_probe (id int)')).rejects.toMatchObject({ code: '42501' });
      } finally {
        await Promise.all([worker.end(), app.end()]);
      }
    } finally {
      await keel.stop();
    }
  });
});

describe('RT-013 stopping Keel closes the adapter\'s connections', () => {
  /** A test Keel whose `stop()` runs once: the test stops it to check, `finally` stops it when the test failed before. */
  async function startKeelOnce(env: Record<string, string>): Promise<TestKeel> {
    const keel = await startTestKeel(env);
    let stopped: Promise<void> | undefined;
    return { ...keel, stop: () => (stopped ??= keel.stop()) };
  }

  it('RT-013 with the redis adapter, its Redis connections are gone once Keel stopped', async () => {
    const admin = createClient({ url: redisUrl });
    await admin.connect();
    let keel: TestKeel | undefined;
    try {
      const connections = async () => (await admin.clientList()).length;
      const before = await connections();
      keel = await startKeelOnce({ REALTIME_ADAPTER: 'redis', REDIS_URL: redisUrl });
      const client = await connect(keel.url, await keel.issuer.sign({ tenantId: crypto.randomUUID() }));
      try {
        // The adapter's client, its stream reader and its subscriber.
        await waitUntil(async () => (await connections()) === before + 3);
      } finally {
        client.close();
      }
      await keel.stop();
      expect(await connections()).toBe(before);
    } finally {
      await keel?.stop();
      admin.destroy();
    }
  });

  it('RT-013 with the postgres adapter, its database connections are gone once Keel stopped', async () => {
    const keel = await startKeelOnce({ REALTIME_ADAPTER: 'postgres' });
    const superuser = new pg.Client({ connectionString: keel.databases.superuserUrl });
    try {
      await superuser.connect();
      const database = new URL(keel.databases.regional.worker).pathname.slice(1);
      const connections = async () =>
        Number((await superuser.query<{ count: string }>(`select count(*) from pg_stat_activity where datname = $1 and application_name = 'keel-regional-realtime'`, [database])).rows[0]!.count);
      // The LISTEN connection is taken once the adapter starts.
      await waitUntil(async () => (await connections()) > 0);
      await keel.stop();
      expect(await connections()).toBe(0);
    } finally {
      await keel.stop();
      await superuser.end();
    }
  });
});
