import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, createApiKey, expectError, tokenForApiKey, type CentralClient } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/**
 * The token endpoint while central's database is really unreachable: this file's central database
 * refuses its app role's connections (and the open ones are ended) for the length of one test.
 */

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '' });
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-066 the token endpoint while central is down', () => {
  it('TEN-066 a session and an API key both get 503 CENTRAL_UNAVAILABLE while the database refuses connections, and tokens again once it is back', async () => {
    const owner = await client.newOwner();
    const { key } = await createApiKey(client, owner.cookie, owner.organization.id);

    await whileCentralDatabaseRefusesConnections(async () => {
      await expectError(client.tokenFor(owner.cookie, owner.organization.id), 503, 'CENTRAL_UNAVAILABLE');
      await expectError(tokenForApiKey(client, key), 503, 'CENTRAL_UNAVAILABLE');
    });
    expect(keel.reported.filter((error) => error.code === 'CENTRAL_UNAVAILABLE')).toHaveLength(2);

    expect((await client.tokenFor(owner.cookie, owner.organization.id)).status).toBe(200);
    expect((await tokenForApiKey(client, key)).status).toBe(200);
  });
});

/**
 * As the cluster's superuser: no new connection to central's database (only superusers may still
 * connect), every open one ended (waiting until each has exited), then `work`; restored afterwards.
 */
async function whileCentralDatabaseRefusesConnections(work: () => Promise<void>): Promise<void> {
  const name = new URL(keel.databases.central.app).pathname.slice(1);
  const superuser = new pg.Client({ connectionString: keel.databases.superuserUrl });
  await superuser.connect();
  const database = superuser.escapeIdentifier(name);
  try {
    await superuser.query(`alter database ${database} connection limit 0`);
    try {
      await superuser.query('select pg_terminate_backend(pid, 10000) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      await work();
    } finally {
      await superuser.query(`alter database ${database} connection limit -1`);
    }
  } finally {
    await superuser.end();
  }
}
