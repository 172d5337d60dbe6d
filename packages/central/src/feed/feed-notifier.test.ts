import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, createPool, type Database } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { appendToFeed } from './append-to-feed.ts';
import { createFeedNotifier, type FeedNotifier } from './feed-notifier.ts';

/** The notifier behind the feed's long polls, on a real central database (LISTEN/NOTIFY). */
let databases: TestDatabases;
let pool: ReturnType<typeof createPool>;
let database: Database;
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  databases = await createTestDatabases();
  pool = createPool(databases.central.app, { applicationName: 'test-feed-notifier', logger });
  database = createDatabase(pool);
});

afterAll(async () => {
  await pool?.end();
  await databases?.drop();
});

async function withNotifier(work: (notifier: FeedNotifier) => Promise<void>): Promise<void> {
  const notifier = await createFeedNotifier(databases.central.app, logger);
  try {
    await work(notifier);
  } finally {
    await notifier.close();
  }
}

describe('MSG-016 long polls of the feed at shutdown', () => {
  it('MSG-016 a waiting poll is woken by an append to read again (true)', async () => {
    await withNotifier(async (notifier) => {
      const waiting = notifier.nextAppend(20_000);
      await database.transaction((tx) => appendToFeed(tx, [{ type: 'test.notified', tenantId: null, region: null, payload: {} }]));
      expect(await waiting).toBe(true);
    });
  });

  it('MSG-016 once shutdown begins, a waiting poll and every later one are answered at once without reading again (false)', async () => {
    await withNotifier(async (notifier) => {
      const waiting = notifier.nextAppend(20_000);
      notifier.releaseAll();
      expect(await waiting).toBe(false);
      expect(await notifier.nextAppend(20_000)).toBe(false);
    });
  });
});
