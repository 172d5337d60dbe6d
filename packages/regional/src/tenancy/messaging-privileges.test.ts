import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';

/** What the app role may do to the messaging kernel's system tables, as PostgreSQL enforces it. */
let databases: TestDatabases;
let app: pg.Client;
const tenantId = randomUUID();
const PERMISSION_DENIED = { code: '42501', message: expect.stringContaining('permission denied') };

beforeAll(async () => {
  databases = await createTestDatabases();
  app = new pg.Client({ connectionString: databases.regional.app });
  await app.connect();
});

afterAll(async () => {
  await app?.end();
  await databases?.drop();
});

describe('MSG-015 the app role appends to the outbox and the ledger, and settles dead letters, nothing more', () => {
  it('MSG-015 appends to and reads the outbox and the ledger of its tenant', async () => {
    await asTenant(app, tenantId, async () => {
      await app.query(`insert into outbox (tenant_id, event_id, type, payload) values ($1, $2, 'test.appended', '{}')`, [tenantId, randomUUID()]);
      await app.query(`insert into processed_messages (tenant_id, consumer, event_id) values ($1, 'probe', $2) returning event_id`, [tenantId, randomUUID()]);
      expect((await app.query('select * from outbox')).rowCount).toBe(1);
    });
  });

  it.each([
    ['update outbox', `update outbox set published_at = now()`],
    ['delete from outbox', `delete from outbox`],
    ['update processed_messages', `update processed_messages set consumer = 'other'`],
    ['delete from processed_messages', `delete from processed_messages`],
    ['insert into dead_letters', `insert into dead_letters (tenant_id, consumer, event_id, type, payload, occurred_at, attempts, last_error_code, last_error_at) values ('${tenantId}', 'probe', '${randomUUID()}', 't', '{}', now(), 1, 'X', now())`],
    ['delete from dead_letters', `delete from dead_letters`],
  ])('MSG-015 is refused: %s', async (_statement, sql) => {
    await expect(asTenant(app, tenantId, () => app.query(sql))).rejects.toMatchObject(PERMISSION_DENIED);
  });

  it('MSG-015 reads and settles dead letters', async () => {
    await asTenant(app, tenantId, async () => {
      await app.query(`select * from dead_letters`);
      await app.query(`update dead_letters set status = 'discarded' where false`);
    });
  });
});
