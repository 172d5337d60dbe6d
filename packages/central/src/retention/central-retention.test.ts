import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, type AuthRateLimits } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { runCentralRetention } from './test/run-central-retention.ts';

/** Central's retention pass on a real PostgreSQL: sign-in counters, written with times relative to the manual clock. */

const LIMITS: AuthRateLimits = { perIp: { max: 30, windowMs: 10 * 60_000 }, perEmail: { max: 10, windowMs: 15 * 60_000 } };
const clock = new ManualClock(new Date());
let databases: TestDatabases;
let owner: pg.Client;

beforeAll(async () => {
  databases = await createTestDatabases();
  owner = new pg.Client({ connectionString: databases.central.owner });
  await owner.connect();
});

afterAll(async () => {
  await owner?.end();
  await databases?.drop();
});

async function counter(key: string, startedMsAgo: number): Promise<void> {
  await owner.query(`insert into auth_rate_limits (key, window_started_at, attempts) values ($1, $2, 3)`, [key, new Date(clock.now().getTime() - startedMsAgo)]);
}

describe('RET-006 sign-in counters go once their window has ended', () => {
  it('RET-006 purges counters older than the longest window and keeps those whose window may still run', async () => {
    await counter('sign-in:email:ended@example.com', 15 * 60_000 + 1);
    await counter('sign-in:ip:203.0.113.1', 60 * 60_000);
    // 12 minutes: past the address window (10), inside the email window (15) — kept until the longest has passed.
    await counter('sign-in:ip:203.0.113.2', 12 * 60_000);
    await counter('sign-in:email:running@example.com', 60_000);

    const report = await runCentralRetention({ databases, clock }, LIMITS);

    expect(report).toEqual({ purged: { 'auth-rate-limits': 2 }, failed: [], busy: [] });
    const { rows } = await owner.query<{ key: string }>('select key from auth_rate_limits order by key');
    expect(rows.map((row) => row.key)).toEqual(['sign-in:email:running@example.com', 'sign-in:ip:203.0.113.2']);
  });

  it('RET-006 a large backlog goes in one pass, in batches', async () => {
    await owner.query(`insert into auth_rate_limits (key, window_started_at, attempts) select 'sign-in:ip:backlog-' || n, $1, 1 from generate_series(1, 250) n`, [new Date(clock.now().getTime() - 86_400_000)]);

    const report = await runCentralRetention({ databases, clock }, LIMITS, 100);

    expect(report.purged['auth-rate-limits']).toBe(250);
    const { rows } = await owner.query<{ count: number }>(`select count(*)::int as count from auth_rate_limits where key like 'sign-in:ip:backlog-%'`);
    expect(rows).toEqual([{ count: 0 }]);
  });
});
