import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, createPool, ManualClock, type Database } from '@keel/kernel';
import type pg from 'pg';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { signingKeys } from '../schema.ts';
import { createSigningKeyStore, type SigningKeyStore } from './signing-key-store.ts';

const OVERLAP_MS = 15 * 60_000;
const clock = new ManualClock();
let databases: TestDatabases;
let pool: pg.Pool;
let database: Database;
let keys: SigningKeyStore;

beforeAll(async () => {
  databases = await createTestDatabases();
  pool = createPool(databases.central.app, { applicationName: 'test-signing-keys', logger: createLogger({ level: 'silent' }) });
  database = createDatabase(pool);
  keys = createSigningKeyStore(database, clock);
});

afterAll(async () => {
  await pool?.end();
  await databases?.drop();
});

describe('TEN-016 one active key signs, shared by every central instance', () => {
  it('TEN-016 an instance signs with the key another instance rotated in', async () => {
    const otherInstance = createSigningKeyStore(database, clock);
    const before = await keys.signingKey();
    const { kid } = await otherInstance.rotate({ overlapMs: OVERLAP_MS });
    expect(kid).not.toBe(before.kid);
    expect((await keys.signingKey()).kid).toBe(kid);
  });

  it('TEN-016 two concurrent rotations leave exactly one active key', async () => {
    // Both rotations start while the active key is held, so they meet at the same row.
    const { rotations } = await whileActiveKeyIsHeld(async () => {
      const started = Promise.all([keys.rotate({ overlapMs: OVERLAP_MS }), createSigningKeyStore(database, clock).rotate({ overlapMs: OVERLAP_MS })]);
      await waitUntil(async () => (await sessionsWaitingForALock()) === 2);
      return { rotations: started };
    });
    const rotated = await rotations;
    const active = await database.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
    expect(active).toHaveLength(1);
    expect(rotated.map((key) => key.kid)).toContain(active[0]!.kid);
    expect(await publishedKids()).toEqual(expect.arrayContaining(rotated.map((key) => key.kid)));
  });
});

describe('TEN-017 a rotated-out key stays published for the overlap, then is withdrawn', () => {
  it('TEN-017 the JWKS holds the previous key until the overlap ends and the new key throughout', async () => {
    const previous = await keys.signingKey();
    const { kid } = await keys.rotate({ overlapMs: OVERLAP_MS });
    expect(await publishedKids()).toEqual(expect.arrayContaining([previous.kid, kid]));

    clock.advance(OVERLAP_MS - 1);
    expect(await publishedKids()).toContain(previous.kid);

    clock.advance(1);
    const published = await publishedKids();
    expect(published).not.toContain(previous.kid);
    expect(published).toContain(kid);
  });
});

describe('TEN-018 the JWKS publishes public key members only', () => {
  it('TEN-018 no published key, active or in its overlap, has a private member', async () => {
    await keys.rotate({ overlapMs: OVERLAP_MS });
    const { keys: published } = await keys.publicKeySet();
    expect(published.length).toBeGreaterThan(1);
    for (const key of published) {
      expect(key).not.toHaveProperty('d');
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    }
  });
});

async function publishedKids(): Promise<string[]> {
  return (await keys.publicKeySet()).keys.map((key) => key.kid);
}

/** Runs `work` while another transaction holds the active key's row (`select … for update`). */
async function whileActiveKeyIsHeld<T>(work: () => Promise<T>): Promise<T> {
  const holder = await pool.connect();
  try {
    await holder.query('begin');
    await holder.query('select kid from signing_keys where retired_at is null for update');
    return await work();
  } finally {
    await holder.query('commit');
    holder.release();
  }
}

async function sessionsWaitingForALock(): Promise<number> {
  const { rows } = await pool.query<{ waiting: number }>(
    "select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
  );
  return rows[0]!.waiting;
}
