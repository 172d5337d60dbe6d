import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  ManualClock,
  createDatabase,
  createLocalStorage,
  createPool,
  createWithTenant,
  loadConfig,
  messagingPurges,
  runWithContext,
  withClient,
  type Database,
  type RetentionConfig,
  type RetentionPurge,
  type StoragePort,
  type SystemPurge,
  type TenantPurge,
} from '@keel/kernel';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { provisionTenantRow } from '../../../../test/support/keel.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';
import { tokenRevocationsPurge } from '../auth/token-revocations-retention.ts';
import { createRegionalRetention, regionalPurges } from './regional-retention.ts';

/**
 * The region's retention pass on a real PostgreSQL: rows are written with times relative to the
 * manual clock, a pass runs at the clock's now, and what remains is read back as the owner.
 */

const DAY = 86_400_000;
const MINUTE = 60_000;
const RETENTION: RetentionConfig = { intervalMs: 60_000, batchSize: 1_000, outboxDays: 7, ledgerDays: 30, tokenRevocationMinutes: 60, webhookDeliveriesDays: 30, importsDays: 30 };
/** UPLOAD_URL_TTL_MS: uploads still awaited a day after it are abandoned (RET-013, RET-014). */
const UPLOAD_TTL_MS = 900_000;
const PERMISSION_DENIED = { code: '42501', message: expect.stringContaining('permission denied') };

let databases: TestDatabases;
let owner: pg.Client;
let pools: pg.Pool[] = [];
let storageDir: string;
let storage: StoragePort;
const clock = new ManualClock(new Date());
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  databases = await createTestDatabases();
  owner = new pg.Client({ connectionString: databases.regional.owner });
  await owner.connect();
  await provisionTenantRow(databases.regional.app, tenantA, 'Alpha');
  await provisionTenantRow(databases.regional.app, tenantB, 'Bravo');
  storageDir = await mkdtemp(join(tmpdir(), 'keel-retention-'));
  storage = createLocalStorage({ directory: storageDir, signingSecret: 'only for the files of this test', uploadTtlMs: 60_000, clock });
});

afterAll(async () => {
  await owner?.end();
  await Promise.all(pools.map((pool) => pool.end()));
  pools = [];
  await databases?.drop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

function ago(ms: number): Date {
  return new Date(clock.now().getTime() - ms);
}

function database(url: string): Database {
  const { logger } = createCapturingLogger();
  const pool = createPool(url, { applicationName: 'keel-test-retention', logger });
  pools.push(pool);
  return createDatabase(pool);
}

function retentionJob(options: { purges?: readonly RetentionPurge[]; batchSize?: number } = {}) {
  const { logger, logs } = createCapturingLogger();
  const { reporter, reported } = createCapturingReporter();
  const job = createRegionalRetention({
    retention: { ...RETENTION, batchSize: options.batchSize ?? RETENTION.batchSize },
    workerDatabase: database(databases.regional.worker),
    withTenant: createWithTenant(database(databases.regional.app)),
    storage,
    uploadTtlMs: UPLOAD_TTL_MS,
    clock,
    logger,
    reporter,
    ...(options.purges ? { purges: options.purges } : {}),
  });
  return { job, logs, reported };
}

/** Runs `statements` as the owner with `tenantId` set, committed. */
async function asOwner(tenantId: string, statements: (client: pg.Client) => Promise<unknown>): Promise<void> {
  await asTenant(owner, tenantId, statements, 'commit');
}

async function insertOutbox(tenantId: string, rows: { type: string; occurredAt: Date; publishedAt: Date | null }[]): Promise<void> {
  await asOwner(tenantId, async (client) => {
    for (const row of rows) {
      await client.query(`insert into outbox (tenant_id, event_id, type, payload, occurred_at, published_at) values ($1, $2, $3, '{}', $4, $5)`, [tenantId, randomUUID(), row.type, row.occurredAt, row.publishedAt]);
    }
  });
}

async function insertLedger(tenantId: string, consumer: string, processedAt: Date[]): Promise<void> {
  await asOwner(tenantId, async (client) => {
    await client.query(`insert into processed_messages (tenant_id, consumer, event_id, processed_at) select $1, $2, gen_random_uuid(), unnest($3::timestamptz[])`, [tenantId, consumer, processedAt]);
  });
}

async function insertRevocations(tenantId: string, rows: { subject: string; revokedAt: Date }[]): Promise<void> {
  await asOwner(tenantId, async (client) => {
    for (const row of rows) await client.query(`insert into token_revocations (tenant_id, subject, revoked_at, reason) values ($1, $2, $3, 'member.removed')`, [tenantId, row.subject, row.revokedAt]);
  });
}

async function ownerRows<Row extends Record<string, unknown>>(tenantId: string, text: string, params: unknown[] = []): Promise<Row[]> {
  return asTenant(owner, tenantId, async (client) => (await client.query<Row>(text, params)).rows);
}

/** `purge`, recording how many rows each of its statements deleted. */
function counting<Purge extends RetentionPurge>(purge: Purge, counts: number[]): Purge {
  const run = purge.purge as (batch: unknown) => Promise<number>;
  return {
    ...purge,
    purge: async (batch: unknown) => {
      const deleted = await run(batch);
      counts.push(deleted);
      return deleted;
    },
  };
}

describe('RET-002 published outbox rows go after RETENTION_OUTBOX_DAYS; unpublished ones never', () => {
  it('RET-002 purges rows published more than 7 days ago, keeps younger ones and every unpublished row however old', async () => {
    await insertOutbox(tenantA, [
      { type: 'ret002.old-published', occurredAt: ago(9 * DAY), publishedAt: ago(7 * DAY + MINUTE) },
      { type: 'ret002.young-published', occurredAt: ago(9 * DAY), publishedAt: ago(7 * DAY - MINUTE) },
      { type: 'ret002.old-unpublished', occurredAt: ago(100 * DAY), publishedAt: null },
    ]);
    await insertOutbox(tenantB, [{ type: 'ret002.old-published', occurredAt: ago(30 * DAY), publishedAt: ago(30 * DAY) }]);

    const { job } = retentionJob();
    const report = await job.runOnce();

    expect(report.failed).toEqual([]);
    expect(report.purged.outbox).toBeGreaterThanOrEqual(2);
    expect(await ownerRows(tenantA, `select type from outbox where type like 'ret002.%' order by type`)).toEqual([{ type: 'ret002.old-unpublished' }, { type: 'ret002.young-published' }]);
    expect(await ownerRows(tenantB, `select type from outbox where type like 'ret002.%'`)).toEqual([]);
  });
});

describe('RET-003 ledger rows go after RETENTION_LEDGER_DAYS, never sooner', () => {
  it('RET-003 purges ledger rows processed more than 30 days ago and keeps the younger ones', async () => {
    await insertLedger(tenantA, 'ret003', [ago(30 * DAY + MINUTE), ago(45 * DAY), ago(30 * DAY - MINUTE), ago(DAY)]);

    const { job } = retentionJob();
    await job.runOnce();

    const left = await ownerRows<{ processed_at: Date }>(tenantA, `select processed_at from processed_messages where consumer = 'ret003' order by processed_at`);
    expect(left.map((row) => row.processed_at)).toEqual([ago(30 * DAY - MINUTE), ago(DAY)]);
  });
});

describe('RET-004 the ledger outlives every way an event can come back', () => {
  it('RET-004 start-up refuses RETENTION_LEDGER_DAYS below 15, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', RETENTION_LEDGER_DAYS: '14' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', RETENTION_LEDGER_DAYS: '14' })).toThrow(/RETENTION_LEDGER_DAYS must be at least 15/);
    expect(loadConfig({ NODE_ENV: 'test', RETENTION_LEDGER_DAYS: '15' }).retention.ledgerDays).toBe(15);
  });

  it('RET-004 start-up refuses a ledger period not longer than every retry of one message', () => {
    // 100 attempts × 4 h = 400 h > 15 days (360 h).
    const retries = { NODE_ENV: 'test', MESSAGE_MAX_ATTEMPTS: '100', RETRY_MAX_DELAY_MS: String(4 * 3_600_000) };
    expect(() => loadConfig({ ...retries, RETENTION_LEDGER_DAYS: '15' })).toThrow(/RETENTION_LEDGER_DAYS must outlast every retry/);
    expect(loadConfig({ ...retries, RETENTION_LEDGER_DAYS: '17' }).retention.ledgerDays).toBe(17);
  });

  it('RET-004 start-up refuses a ledger period not longer than every retry of one webhook delivery', () => {
    // 1,500 attempts × 15 min = 375 h > 15 days (360 h); the consumer runtime's retries stay short.
    const retries = { NODE_ENV: 'test', WEBHOOK_MAX_ATTEMPTS: '1500', WEBHOOK_RETRY_MAX_DELAY_MS: '900000' };
    expect(() => loadConfig({ ...retries, RETENTION_LEDGER_DAYS: '15' })).toThrow(/RETENTION_LEDGER_DAYS must outlast every retry \(WEBHOOK_MAX_ATTEMPTS × WEBHOOK_RETRY_MAX_DELAY_MS\)/);
    expect(loadConfig({ ...retries, RETENTION_LEDGER_DAYS: '16' }).retention.ledgerDays).toBe(16);
  });

  it('RET-004 the defaults keep the ledger 30 days and published outbox rows 7', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).retention).toEqual({ intervalMs: 3_600_000, batchSize: 1_000, outboxDays: 7, ledgerDays: 30, tokenRevocationMinutes: 60, webhookDeliveriesDays: 30, importsDays: 30 });
  });
});

describe('RET-005 token revocations outlive the tokens they refuse', () => {
  it('RET-005 start-up refuses RETENTION_TOKEN_REVOCATION_MINUTES below 10', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', RETENTION_TOKEN_REVOCATION_MINUTES: '9' })).toThrow(/RETENTION_TOKEN_REVOCATION_MINUTES must be at least 10/);
  });

  it('RET-005 purges revocations older than 60 minutes; a younger one stays and still refuses the tokens issued before it', async () => {
    const young = { subject: `user-${randomUUID()}`, revokedAt: ago(59 * MINUTE) };
    await insertRevocations(tenantA, [{ subject: `user-${randomUUID()}`, revokedAt: ago(61 * MINUTE) }, young]);

    const { job } = retentionJob();
    await job.runOnce();

    expect(await ownerRows(tenantA, `select subject from token_revocations`)).toEqual([{ subject: young.subject }]);
    const issuedBefore = Math.floor(young.revokedAt.getTime() / 1000) - 1;
    const verdict = await withClient(databases.regional.app, (app) => app.query(`select keel_request_verdict($1, $2, $3) as verdict`, [tenantA, young.subject, issuedBefore]));
    expect(verdict.rows).toEqual([{ verdict: 'revoked' }]);
  });
});

describe('RET-007 tenant data is purged tenant by tenant under row-level security', () => {
  it('RET-007 a tenant purge run in A\'s transaction deletes A\'s due rows and none of B\'s', async () => {
    const subjectOfA = `a-${randomUUID()}`;
    const subjectOfB = `b-${randomUUID()}`;
    await insertRevocations(tenantA, [{ subject: subjectOfA, revokedAt: ago(2 * DAY) }]);
    await insertRevocations(tenantB, [{ subject: subjectOfB, revokedAt: ago(2 * DAY) }]);
    const withTenant = createWithTenant(database(databases.regional.app));
    const purge = tokenRevocationsPurge(60);
    // The purge names its tenant, and row-level security would stop it otherwise: B's id in A's transaction deletes nothing.
    const deleted = await runWithContext({ requestId: randomUUID(), tenantId: tenantA }, () =>
      withTenant(async (tx) => [await purge.purge({ tx, tenantId: tenantA, now: clock.now(), limit: 100 }), await purge.purge({ tx, tenantId: tenantB, now: clock.now(), limit: 100 })]),
    );

    expect(deleted).toEqual([1, 0]);
    expect(await ownerRows(tenantB, `select subject from token_revocations where subject = $1`, [subjectOfB])).toEqual([{ subject: subjectOfB }]);
  });

  it('RET-007 a full pass visits every tenant, each in its own transaction, while the worker role cannot touch token revocations', async () => {
    await insertRevocations(tenantA, [{ subject: `a-${randomUUID()}`, revokedAt: ago(2 * DAY) }]);
    await insertRevocations(tenantB, [{ subject: `b-${randomUUID()}`, revokedAt: ago(2 * DAY) }]);

    const { job } = retentionJob();
    const report = await job.runOnce();

    expect(report.failed).toEqual([]);
    for (const tenant of [tenantA, tenantB]) expect(await ownerRows(tenant, `select subject from token_revocations where revoked_at < $1`, [ago(DAY)])).toEqual([]);
    await expect(withClient(databases.regional.worker, (worker) => worker.query('delete from token_revocations'))).rejects.toMatchObject(PERMISSION_DENIED);
  });
});

describe('RET-011 the webhook delivery log keeps RETENTION_WEBHOOK_DELIVERIES_DAYS', () => {
  it('RET-011 purges attempts older than 30 days, keeps younger ones and the endpoint, and leaves other tenants alone', async () => {
    const endpointOfA = randomUUID();
    const endpointOfB = randomUUID();
    for (const [tenant, endpoint] of [
      [tenantA, endpointOfA],
      [tenantB, endpointOfB],
    ] as const) {
      await asOwner(tenant, (client) =>
        client.query(`insert into webhook_endpoints (tenant_id, id, url, event_types, secret_ciphertext) values ($1, $2, 'https://example.com/hook', '{order.created}', 'x')`, [tenant, endpoint]),
      );
    }
    const attempt = (tenant: string, endpoint: string, createdAt: Date) =>
      asOwner(tenant, (client) =>
        client.query(
          `insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, attempt, outcome, status_code, duration_ms, created_at) values ($1, $2, gen_random_uuid(), 'order.created', 1, 'delivered', 200, 5, $3)`,
          [tenant, endpoint, createdAt],
        ),
      );
    await attempt(tenantA, endpointOfA, ago(31 * DAY));
    await attempt(tenantA, endpointOfA, ago(29 * DAY));
    const withTenant = createWithTenant(database(databases.regional.app));
    const [purge] = regionalPurges(RETENTION, storage, UPLOAD_TTL_MS).filter((candidate) => candidate.name === 'webhook-deliveries');
    await attempt(tenantB, endpointOfB, ago(31 * DAY));

    // Tenant A's purge alone: B's old attempt is still there afterwards.
    await runWithContext({ requestId: randomUUID(), tenantId: tenantA }, () =>
      withTenant((tx) => (purge as Extract<RetentionPurge, { scope: 'tenant' }>).purge({ tx, tenantId: tenantA, now: clock.now(), limit: 100 })),
    );

    expect(await ownerRows(tenantA, `select created_at from webhook_deliveries`)).toEqual([{ created_at: ago(29 * DAY) }]);
    expect(await ownerRows(tenantA, `select id from webhook_endpoints`)).toEqual([{ id: endpointOfA }]);
    expect(await ownerRows(tenantB, `select created_at from webhook_deliveries`)).toEqual([{ created_at: ago(31 * DAY) }]);
  });
});

/** An import of tenant A in `state`, with its file stored (and a rejected row once finished). */
async function insertImport(state: string, finishedAt: Date | null, createdAt: Date) {
  const id = randomUUID();
  const storageKey = `tenants/${tenantA}/imports/${id}`;
  await storage.put(storageKey, Buffer.from('sku,name,price_minor\n'), 'text/csv');
  await asOwner(tenantA, async (client) => {
    await client.query(
      `insert into imports (tenant_id, id, kind, file_name, content_type, declared_bytes, storage_key, state, created_by, created_at, finished_at) values ($1, $2, 'products-csv', 'p.csv', 'text/csv', 20, $3, $4, 'user-1', $5, $6)`,
      [tenantA, id, storageKey, state, createdAt, finishedAt],
    );
    if (finishedAt !== null) await client.query(`insert into import_rejections (tenant_id, import_id, row, code) values ($1, $2, 2, 'VALIDATION_FAILED')`, [tenantA, id]);
  });
  return { id, storageKey };
}

describe('RET-012 finished imports go with their file', () => {
  it('RET-012 purges imports finished more than 30 days ago, their rejected rows and stored file; younger and unfinished imports stay', async () => {
    const oldDone = await insertImport('done', ago(31 * DAY), ago(32 * DAY));
    const oldFailed = await insertImport('failed', ago(40 * DAY), ago(40 * DAY));
    const youngDone = await insertImport('done', ago(29 * DAY), ago(29 * DAY));
    const stuck = await insertImport('processing', null, ago(90 * DAY));
    const waiting = await insertImport('awaiting_upload', null, ago(DAY));

    const { job } = retentionJob();
    const report = await job.runOnce();

    expect(report.purged.imports).toBe(2);
    expect((await ownerRows<{ id: string }>(tenantA, 'select id from imports order by id')).map((row) => row.id).toSorted()).toEqual([youngDone.id, stuck.id, waiting.id].toSorted());
    expect(await ownerRows(tenantA, 'select import_id from import_rejections where import_id = any($1)', [[oldDone.id, oldFailed.id]])).toEqual([]);
    for (const gone of [oldDone, oldFailed]) expect(await storage.stat(gone.storageKey)).toBeUndefined();
    for (const kept of [youngDone, stuck, waiting]) expect(await storage.stat(kept.storageKey)).toBeDefined();
  });
});

describe('RET-013 RET-014 abandoned uploads', () => {
  const ABANDONED = DAY + UPLOAD_TTL_MS;

  it('RET-013 purges imports still awaiting their file a day after their upload URL expired, with a file uploaded but never marked; younger ones and queued imports stay', async () => {
    const abandoned = await insertImport('awaiting_upload', null, ago(ABANDONED + MINUTE));
    const recent = await insertImport('awaiting_upload', null, ago(ABANDONED - MINUTE));
    const queued = await insertImport('queued', null, ago(90 * DAY));

    const report = await retentionJob().job.runOnce();

    expect(report.purged['abandoned-imports']).toBe(1);
    const left = (await ownerRows<{ id: string }>(tenantA, 'select id from imports where id = any($1)', [[abandoned.id, recent.id, queued.id]])).map((row) => row.id);
    expect(left.toSorted()).toEqual([recent.id, queued.id].toSorted());
    expect(await storage.stat(abandoned.storageKey)).toBeUndefined();
    for (const kept of [recent, queued]) expect(await storage.stat(kept.storageKey)).toBeDefined();
  });

  it('RET-014 purges product images still awaiting their file a day after their upload URL expired; their files go through the outbox; others stay', async () => {
    const insertImage = async (state: string, updatedAt: Date) => {
      const productId = randomUUID();
      const imageId = randomUUID();
      await asOwner(tenantB, async (client) => {
        await client.query(`insert into products (tenant_id, id, sku, name, price_minor) values ($1, $2, $3, 'Lamp', 100)`, [tenantB, productId, `RET014-${productId}`]);
        await client.query(
          `insert into product_images (tenant_id, product_id, id, state, content_type, declared_bytes, created_at, updated_at) values ($1, $2, $3, $4, 'image/png', 10, $5, $5)`,
          [tenantB, productId, imageId, state, updatedAt],
        );
      });
      return { productId, imageId };
    };
    const abandoned = await insertImage('awaiting_upload', ago(ABANDONED + MINUTE));
    const recent = await insertImage('awaiting_upload', ago(ABANDONED - MINUTE));
    const ready = await insertImage('ready', ago(90 * DAY));

    const report = await retentionJob().job.runOnce();

    expect(report.purged['abandoned-product-images']).toBe(1);
    const left = await ownerRows<{ id: string }>(tenantB, 'select id from product_images where id = any($1)', [[abandoned.imageId, recent.imageId, ready.imageId]]);
    expect(left.map((row) => row.id).toSorted()).toEqual([recent.imageId, ready.imageId].toSorted());
    expect(await ownerRows(tenantB, `select payload from outbox where type = 'product.image_discarded' and payload->>'imageId' = any($1)`, [[abandoned.imageId, recent.imageId, ready.imageId]])).toEqual([
      { payload: { productId: abandoned.productId, imageId: abandoned.imageId } },
    ]);
  });
});

describe('RET-008 bounded statements, whole backlog', () => {
  it('RET-008 with a batch of 3, ten due outbox rows go in one pass, no statement deleting more than 3', async () => {
    await insertOutbox(tenantA, Array.from({ length: 10 }, () => ({ type: 'ret008.due', occurredAt: ago(20 * DAY), publishedAt: ago(20 * DAY) })));
    const counts: number[] = [];
    const [outbox] = messagingPurges(RETENTION);

    const { job } = retentionJob({ purges: [counting(outbox!, counts)], batchSize: 3 });
    const report = await job.runOnce();

    expect(await ownerRows(tenantA, `select count(*)::int as count from outbox where type = 'ret008.due'`)).toEqual([{ count: 0 }]);
    expect(counts).toEqual([3, 3, 3, 1]);
    expect(report.purged.outbox).toBe(10);
  });

  it('RET-008 tenant purges are batched too: seven due revocations of one tenant, three per transaction', async () => {
    await insertRevocations(
      tenantB,
      Array.from({ length: 7 }, () => ({ subject: `ret008-${randomUUID()}`, revokedAt: ago(DAY) })),
    );
    const counts: number[] = [];

    const { job } = retentionJob({ purges: [counting(tokenRevocationsPurge(60), counts)], batchSize: 3 });
    await job.runOnce();

    expect(await ownerRows(tenantB, `select count(*)::int as count from token_revocations where subject like 'ret008-%'`)).toEqual([{ count: 0 }]);
    expect(counts.filter((count) => count > 0)).toEqual([3, 3, 1]);
  });
});

describe('RET-009 several instances at once', () => {
  it('RET-009 two instances purging 3,000 due ledger rows together delete each exactly once, without error', async () => {
    await insertLedger(tenantA, 'ret009', Array.from({ length: 3_000 }, (_, index) => ago(40 * DAY + index * 1_000)));
    const ledgerOnly = messagingPurges(RETENTION).filter((purge) => purge.name === 'processed-messages');
    const first = retentionJob({ purges: ledgerOnly, batchSize: 100 });
    const second = retentionJob({ purges: ledgerOnly, batchSize: 100 });

    const reports = await Promise.all([first.job.runOnce(), second.job.runOnce()]);

    expect(reports.map((report) => report.failed)).toEqual([[], []]);
    expect([...first.reported, ...second.reported]).toEqual([]);
    expect(await ownerRows(tenantA, `select count(*)::int as count from processed_messages where consumer = 'ret009'`)).toEqual([{ count: 0 }]);
    expect(reports[0]!.purged['processed-messages']! + reports[1]!.purged['processed-messages']!).toBe(3_000);
  });
});

describe('RET-009 an instance on one tenant keeps the others from that tenant only', () => {
  const dueRevocations = (count: number) => Array.from({ length: count }, () => ({ subject: `ret009-${randomUUID()}`, revokedAt: ago(DAY) }));
  const dueLeft = async (tenantId: string) =>
    (await ownerRows<{ count: number }>(tenantId, `select count(*)::int as count from token_revocations where subject like 'ret009-%'`))[0]!.count;
  // Both instances walk the tenants in this order.
  const [first, second] = [tenantA, tenantB].toSorted() as [string, string];

  /** `purge`, which at its first call for `tenantId` keeps its transaction (and lock) open until released, then commits or fails. */
  function holding(purge: TenantPurge, tenantId: string, then: 'commit' | 'fail') {
    let held: () => void = () => {};
    let release: () => void = () => {};
    const holds = new Promise<void>((resolve) => (held = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const holder: TenantPurge = {
      ...purge,
      purge: async (batch) => {
        const outcome = await purge.purge(batch);
        if (batch.tenantId !== tenantId || ++calls > 1) return outcome;
        held();
        await released;
        if (then === 'fail') throw new Error('the holder fails, its batch rolled back');
        return outcome;
      },
    };
    return { holder, holds, release };
  }

  /** Resolves once `holder` holds; fails, rather than waiting on, a holder's pass that ended without. */
  async function held(holds: Promise<void>, holderPass: Promise<unknown>): Promise<void> {
    await Promise.race([holds, holderPass.then((report) => Promise.reject(new Error(`the holder's pass ended without holding: ${JSON.stringify(report)}`)))]);
  }

  it('RET-009 while one instance holds the first tenant, another purges the second and names the first busy, not done', async () => {
    await insertRevocations(first, dueRevocations(3));
    await insertRevocations(second, dueRevocations(3));
    const { holder, holds, release } = holding(tokenRevocationsPurge(60), first, 'commit');
    const holderPass = retentionJob({ purges: [holder] }).job.runOnce();
    try {
      await held(holds, holderPass);
      const report = await retentionJob({ purges: [tokenRevocationsPurge(60)] }).job.runOnce();

      expect(await dueLeft(second)).toBe(0);
      expect(report).toMatchObject({ purged: { 'token-revocations': 3 }, failed: [], busy: ['token-revocations'] });
    } finally {
      release();
    }
    expect(await holderPass).toMatchObject({ purged: { 'token-revocations': 3 }, failed: [], busy: [] });
    expect(await dueLeft(first)).toBe(0);
  });

  it('RET-009 a tenant found busy is tried again at the end of the pass: the holder having failed meanwhile, the other instance purges it', async () => {
    await insertRevocations(first, dueRevocations(5));
    await insertRevocations(second, dueRevocations(2));
    const { holder, holds, release } = holding(tokenRevocationsPurge(60), first, 'fail');
    const holderPass = retentionJob({ purges: [holder] }).job.runOnce();
    await held(holds, holderPass);
    const revocations = tokenRevocationsPurge(60);
    let holderDone: Promise<unknown> | undefined;
    // Once past the first tenant, this instance lets the holder fail and finish its pass.
    const afterHolder: TenantPurge = {
      ...revocations,
      purge: async (batch) => {
        if (batch.tenantId === second) await (holderDone ??= (release(), holderPass));
        return revocations.purge(batch);
      },
    };

    const report = await retentionJob({ purges: [afterHolder] }).job.runOnce();

    expect(report).toMatchObject({ purged: { 'token-revocations': 5 }, failed: [], busy: [] });
    expect(await holderPass).toMatchObject({ purged: { 'token-revocations': 2 }, failed: ['token-revocations'] });
    expect([await dueLeft(first), await dueLeft(second)]).toEqual([0, 0]);
  });
});

describe('RET-010 a failing purge does not stop the others', () => {
  it('RET-010 is reported with its code and named in the report, while the other purges run; the next pass runs it again', async () => {
    await insertOutbox(tenantA, [{ type: 'ret010.due', occurredAt: ago(20 * DAY), publishedAt: ago(20 * DAY) }]);
    let broken = true;
    let calls = 0;
    const flaky: SystemPurge = {
      scope: 'system',
      name: 'flaky',
      purge: async () => {
        calls += 1;
        if (broken) throw new Error('the flaky purge failed');
        return 0;
      },
    };
    const { job, reported, logs } = retentionJob({ purges: [flaky, ...messagingPurges(RETENTION)] });

    const report = await job.runOnce();

    expect(report.failed).toEqual(['flaky']);
    expect(reported.map((error) => error.code)).toEqual(['INTERNAL_ERROR']);
    expect(logs).toContainEqual(expect.objectContaining({ purge: 'flaky', code: 'INTERNAL_ERROR', msg: expect.stringContaining('retention purge failed') }));
    expect(await ownerRows(tenantA, `select type from outbox where type = 'ret010.due'`)).toEqual([]);
    broken = false;
    expect((await job.runOnce()).failed).toEqual([]);
    expect(calls).toBe(2);
  });

  it("RET-010 a tenant purge failing for one tenant leaves that tenant's other purges and the other tenants to run", async () => {
    const subjects = { [tenantA]: `ret010-${randomUUID()}`, [tenantB]: `ret010-${randomUUID()}` };
    for (const [tenant, subject] of Object.entries(subjects)) await insertRevocations(tenant, [{ subject, revokedAt: ago(DAY) }]);
    const failingForA: RetentionPurge = {
      scope: 'tenant',
      name: 'failing-for-a',
      purge: async ({ tenantId }) => {
        if (tenantId === tenantA) throw new Error('this purge fails for tenant A');
        return 0;
      },
    };
    const { job, reported } = retentionJob({ purges: [failingForA, tokenRevocationsPurge(60)] });

    const report = await job.runOnce();

    expect(report.failed).toEqual(['failing-for-a']);
    expect(reported).toHaveLength(1);
    for (const [tenant, subject] of Object.entries(subjects)) expect(await ownerRows(tenant, 'select subject from token_revocations where subject = $1', [subject])).toEqual([]);
  });
});
