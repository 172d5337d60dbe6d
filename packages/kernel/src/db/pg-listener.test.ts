/**
 * MSG-005 relies on a LISTEN connection to wake the outbox relay (and central's feed notifier wakes
 * the SNS relay and the long polls the same way): it must outlive its database backend. The
 * listener runs on the regional worker role of this file's database; the cluster's superuser
 * terminates its backend, and NOTIFYs come from another worker connection.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createPgListener, type PgListener } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';

let databases: TestDatabases;
let database: string;
let superuser: pg.Client;
let notifier: pg.Client;
const listeners: PgListener[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  database = new URL(databases.regional.worker).pathname.slice(1);
  superuser = new pg.Client({ connectionString: databases.superuserUrl });
  notifier = new pg.Client({ connectionString: databases.regional.worker });
  await Promise.all([superuser.connect(), notifier.connect()]);
});

afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

afterAll(async () => {
  await superuser?.query(`alter database ${pg.escapeIdentifier(database)} allow_connections true`);
  await Promise.all([superuser?.end(), notifier?.end()]);
  await databases?.drop();
});

describe('MSG-005 the LISTEN connection that wakes a relay survives its database backend', () => {
  it('MSG-005 after its backend is terminated it connects and listens again, and a later NOTIFY reaches it', async () => {
    const subject = await listen();
    await notify(subject.channel, 'before');
    expect(await subject.notifications.next()).toBe('before');

    expect(await terminate(subject.applicationName)).toBe(1);
    await subject.reconnections.next();
    await notify(subject.channel, 'after');
    expect(await subject.notifications.next()).toBe('after');
    expect(subject.logs.messages('warn')).toEqual(['LISTEN connection lost; reconnecting']);
    expect(subject.logs.messages('info')).toEqual(['LISTEN connection restored']);
  });

  it('MSG-005 while the database refuses connections it keeps trying, warns once for the outage, and listens again once they are accepted', async () => {
    const subject = await listen();
    await allowConnections(false);
    try {
      expect(await terminate(subject.applicationName)).toBe(1);
      await subject.logs.until('LISTEN reconnection failed; trying again', 3);
    } finally {
      await allowConnections(true);
    }
    await subject.reconnections.next();
    await notify(subject.channel, 'back');
    expect(await subject.notifications.next()).toBe('back');
    expect(subject.logs.messages('warn')).toEqual(['LISTEN connection lost; reconnecting']);
    const restored = subject.logs.lines.filter((line) => line.msg === 'LISTEN connection restored');
    expect(restored).toHaveLength(1);
    expect(Number(restored[0]!.failedAttempts)).toBeGreaterThanOrEqual(3);
  });
});

/** A listener on a channel and application name of its own, with what it receives as events. */
async function listen() {
  const suffix = randomUUID().slice(0, 8);
  const channel = `test_channel_${suffix}`;
  const applicationName = `keel-test-listener-${suffix}`;
  const logs = logLines();
  const notifications = events<string | undefined>();
  const reconnections = events<void>();
  const listener = await createPgListener({
    url: databases.regional.worker,
    channel,
    applicationName,
    logger: logs.logger,
    onNotification: (payload) => notifications.push(payload),
    onReconnect: () => reconnections.push(),
    reconnectDelayMs: 10,
  });
  listeners.push(listener);
  return { channel, applicationName, logs, notifications, reconnections };
}

async function notify(channel: string, payload: string): Promise<void> {
  await notifier.query('select pg_notify($1, $2)', [channel, payload]);
}

/** Terminates the backends of this application on this file's database; resolves with how many. */
async function terminate(applicationName: string): Promise<number> {
  const { rows } = await superuser.query<{ terminated: boolean }>(
    'select pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = $1 and datname = $2',
    [applicationName, database],
  );
  return rows.filter((row) => row.terminated).length;
}

/** Connections already open stay; new ones are refused (`database … is not currently accepting connections`). */
async function allowConnections(allowed: boolean): Promise<void> {
  await superuser.query(`alter database ${pg.escapeIdentifier(database)} allow_connections ${allowed}`);
}

/** Values in arrival order; `next()` resolves with the next one not yet taken. */
function events<T>() {
  const values: T[] = [];
  const waiting: ((value: T) => void)[] = [];
  return {
    push(value: T) {
      const take = waiting.shift();
      if (take) take(value);
      else values.push(value);
    },
    next(): Promise<T> {
      if (values.length > 0) return Promise.resolve(values.shift()!);
      return new Promise<T>((resolve) => waiting.push(resolve));
    },
  };
}

/** A debug-level logger whose JSON lines are kept; `until(msg, count)` resolves once `count` lines say `msg`. */
function logLines() {
  const lines: Record<string, unknown>[] = [];
  const watchers = new Set<() => void>();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const watcher of watchers) watcher();
      done();
    },
  });
  const levels = { debug: 20, info: 30, warn: 40 } as const;
  const count = (msg: string) => lines.filter((line) => line.msg === msg).length;
  return {
    logger: createLogger({ level: 'debug', destination }),
    lines,
    messages: (level: keyof typeof levels) => lines.filter((line) => line.level === levels[level]).map((line) => line.msg),
    until(msg: string, expected: number): Promise<void> {
      return new Promise((resolve) => {
        const watcher = () => {
          if (count(msg) < expected) return;
          watchers.delete(watcher);
          resolve();
        };
        watchers.add(watcher);
        watcher();
      });
    },
  };
}
