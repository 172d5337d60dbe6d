import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, findFreePort } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { provisionTenantRow } from '../../../../test/support/keel.ts';
import { spawnProcessGroup, type GroupProcess } from '../../../../test/support/processes.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';
import { startTestTokenIssuer, type TestTokenIssuer } from '../../../../test/support/token-issuer.ts';
import { productsCsv } from './test/import-driver.ts';

/**
 * UPL-020: a regional Keel process (`keel start`, KEEL_ROLE=regional) dies by SIGKILL in the
 * middle of an import — at the failpoint `import.batch-uncommitted`, reached in the batch after
 * the first one committed and published its progress, with that batch's rows written and not yet
 * committed — and a new process finishes the import: every row exactly once.
 */
const ROWS = 1_000;
const BATCH = 100;
const LISTENING = '"msg":"Keel is listening"';

let databases: TestDatabases;
let issuer: TestTokenIssuer;
let storageDir: string;
let owner: pg.Client;
let region: GroupProcess | undefined;
/** Where central would be: a free port nobody listens on. */
let centralUrl: string;
const tenantId = randomUUID();

beforeAll(async () => {
  databases = await createTestDatabases();
  issuer = await startTestTokenIssuer(new ManualClock(new Date()));
  storageDir = await mkdtemp(join(tmpdir(), 'keel-import-crash-'));
  centralUrl = `http://127.0.0.1:${await findFreePort()}`;
  await provisionTenantRow(databases.regional.app, tenantId, 'Crash test');
  owner = new pg.Client({ connectionString: databases.regional.owner });
  await owner.connect();
});

afterAll(async () => {
  region?.kill();
  await region?.closed;
  await owner?.end();
  await issuer?.close();
  await databases?.drop();
  await rm(storageDir, { recursive: true, force: true });
});

describe('UPL-020 a worker killed in the middle of an import', () => {
  it('UPL-020 is SIGKILLed after a committed batch, with the next one half-written; after a restart every row exists exactly once', async () => {
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    region = await startRegion(port, { KEEL_FAILPOINTS: 'import.batch-uncommitted' });
    const importId = await uploadProducts(url, productsCsv(ROWS));

    const exit = await region.closed;
    expect(exit.signal).toBe('SIGKILL');
    // Dead between batches 1 and 2: the first batch and its progress committed, nothing of the second.
    const atCrash = await sql<{ state: string; progress: number; checkpoint_row: number; rows_imported: number }>(
      `select state, progress, checkpoint_row, rows_imported from imports where id = $1`,
      [importId],
    );
    expect(atCrash).toEqual([{ state: 'processing', progress: expect.any(Number), checkpoint_row: BATCH, rows_imported: BATCH }]);
    expect(atCrash[0]!.progress).toBeGreaterThan(0);
    expect(await sql(`select payload->>'state' as state from outbox where type = 'import.progressed' and payload->>'importId' = $1 order by id`, [importId])).toEqual([
      { state: 'queued' },
      { state: 'processing' },
    ]);
    expect(await count('select count(*)::int as count from products')).toBe(BATCH);

    region = await startRegion(port, {});
    const done = await waitForImport(url, importId);
    expect(done).toMatchObject({ state: 'done', progress: 100, rowsImported: ROWS, rowsRejected: 0 });
    expect(await count('select count(*)::int as count from products')).toBe(ROWS);
    expect(await count('select count(distinct sku)::int as count from products')).toBe(ROWS);
    expect(await count(`select count(*)::int as count from outbox where type = 'product.created'`)).toBe(ROWS);
    expect(await count('select count(*)::int as count from import_rejections')).toBe(0);
  });
});

function startRegion(port: number, env: Record<string, string>): Promise<GroupProcess> {
  const child = spawnProcessGroup(process.execPath, ['packages/cli/src/main.ts', 'start'], {
    label: 'region',
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      KEEL_SEED: 'false',
      KEEL_ROLE: 'regional',
      KEEL_REGION: 'local',
      PORT: String(port),
      REGIONAL_DATABASE_OWNER_URL: databases.regional.owner,
      REGIONAL_DATABASE_APP_URL: databases.regional.app,
      REGIONAL_DATABASE_WORKER_URL: databases.regional.worker,
      CENTRAL_JWKS_URL: issuer.jwksUrl,
      // No central here: its feed and usage reports fail and retry, which the import does not need.
      CENTRAL_URL: centralUrl,
      KEEL_REGION_CREDENTIAL: `credential-${randomUUID()}`,
      FEED_RETRY_DELAY_MS: '5000',
      USAGE_REPORT_INTERVAL_MS: '600000',
      STORAGE_DIR: storageDir,
      IMPORT_BATCH_SIZE: String(BATCH),
      OUTBOX_POLL_INTERVAL_MS: '100',
      // The killed worker's delivery comes back once pg-boss sees it expired (its shortest is 10 s).
      QUEUE_VISIBILITY_TIMEOUT_MS: '10000',
      QUEUE_SUPERVISE_INTERVAL_MS: '1000',
      ...env,
    },
  });
  return child.waitForLine(LISTENING).then(() => child);
}

async function api(url: string, method: string, path: string, body?: string | object, contentType = 'application/json') {
  const headers = { authorization: `Bearer ${await issuer.sign({ tenantId, role: 'admin' })}`, ...(body === undefined ? {} : { 'content-type': contentType }) };
  const response = await fetch(`${url}${path}`, { method, headers, body: typeof body === 'object' ? JSON.stringify(body) : body });
  const text = await response.text();
  expect(response.status, text).toBeLessThan(300);
  return JSON.parse(text) as Record<string, unknown> & { id: string };
}

async function uploadProducts(url: string, csv: string): Promise<string> {
  const requested = (await api(url, 'POST', '/api/v1/imports', { kind: 'products-csv', fileName: 'products.csv', size: Buffer.byteLength(csv), contentType: 'text/csv' })) as unknown as {
    import: { id: string };
    upload: { url: string };
  };
  await api(url, 'PUT', requested.upload.url, csv, 'text/csv');
  await api(url, 'POST', `/api/v1/imports/${requested.import.id}/uploaded`);
  return requested.import.id;
}

async function waitForImport(url: string, importId: string) {
  let current: Record<string, unknown> = {};
  await waitUntil(async () => {
    current = await api(url, 'GET', `/api/v1/imports/${importId}`);
    return current.state === 'done' || current.state === 'failed';
  }, 200);
  return current;
}

function sql<Row extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> {
  return asTenant(owner, tenantId, async (client) => (await client.query<Row>(text, params)).rows);
}

async function count(text: string): Promise<number> {
  return (await sql<{ count: number }>(text))[0]!.count;
}
