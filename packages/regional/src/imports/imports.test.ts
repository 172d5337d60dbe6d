import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, type StoragePort } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';
import { connect } from '../../../../test/support/realtime-client.ts';
import type { ImportUpdate } from './import-fan-out.ts';
import { importDriver, productsCsv } from './test/import-driver.ts';

/** CSV imports through the composed app (specs/uploads.md), on the local storage driver, in batches of 3 rows. */

const MAX_BYTES = 4_096;
let keel: TestKeel;
let imports: ReturnType<typeof importDriver>;
let owner: pg.Client;
/** The directory Keel stores files in, opened here too: what a client could store without Keel's checks. */
let storage: StoragePort;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'keel-imports-'));
  keel = await startTestKeel({ STORAGE_DIR: directory, IMPORT_BATCH_SIZE: '3', IMPORT_MAX_BYTES: String(MAX_BYTES), OUTBOX_POLL_INTERVAL_MS: '50' });
  imports = importDriver(keel);
  storage = createLocalStorage({ directory, signingSecret: 'not the region secret, only for writing files', uploadTtlMs: 60_000, clock: keel.clock });
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
});

afterAll(async () => {
  await owner?.end();
  await keel?.stop();
});

function sqlAs<Row extends Record<string, unknown>>(tenantId: string, text: string, params: unknown[] = []): Promise<Row[]> {
  return asTenant(owner, tenantId, async (client) => (await client.query<Row>(text, params)).rows, 'commit');
}

describe('UPL-010 UPL-011 asking for an upload', () => {
  it('UPL-010 an admin gets an import awaiting its file and where to PUT it', async () => {
    const tenant = await imports.newTenant();
    const { import: created, upload } = await imports.requested(tenant, 'sku,name,price_minor\n');
    expect(created).toMatchObject({ kind: 'products-csv', fileName: 'products.csv', state: 'awaiting_upload', progress: 0, rowsImported: 0, rowsRejected: 0, failureCode: null, version: 1 });
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/csv' }, maxBytes: MAX_BYTES });
    expect(upload.url).toMatch(new RegExp(`^/api/v1/imports/${created.id}/file\\?token=`));
  });

  it.each([
    { what: 'a declared size over IMPORT_MAX_BYTES', body: { size: MAX_BYTES + 1 }, status: 413, code: 'UPLOAD_TOO_LARGE' },
    { what: 'a content type that is not CSV', body: { size: 10, contentType: 'application/pdf' }, status: 415, code: 'UPLOAD_TYPE_NOT_ALLOWED' },
  ])('UPL-011 $what is refused with $code and records nothing', async ({ body, status, code }) => {
    const tenant = await imports.newTenant();
    const response = await imports.request(tenant, body);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
    expect(await sqlAs(tenant, 'select id from imports')).toEqual([]);
  });
});

describe('UPL-012 UPL-013 uploading and saying so', () => {
  it('UPL-012 saying "uploaded" before the file is there answers 409 IMPORT_FILE_MISSING and queues nothing', async () => {
    const tenant = await imports.newTenant();
    const { import: created } = await imports.requested(tenant, 'sku\n');
    const response = await imports.uploaded(tenant, created.id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'IMPORT_FILE_MISSING' });
    expect((await imports.read(tenant, created.id)).state).toBe('awaiting_upload');
    expect(await sqlAs(tenant, `select type from outbox where type = 'import.queued'`)).toEqual([]);
  });

  it('UPL-012 once uploaded the import is queued with import.queued in the outbox; saying it again queues nothing twice', async () => {
    const tenant = await imports.newTenant();
    const csv = productsCsv(1);
    const { import: created, upload } = await imports.requested(tenant, csv);
    expect((await imports.put(tenant, upload, csv)).statusCode).toBe(200);
    const first = await imports.uploaded(tenant, created.id);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: created.id, state: 'queued', version: 2 });
    expect((await imports.uploaded(tenant, created.id)).statusCode).toBe(200);
    const queued = await sqlAs<{ payload: unknown }>(tenant, `select payload from outbox where type = 'import.queued'`);
    expect(queued).toEqual([{ payload: { importId: created.id, fromRow: 0, etag: (await storage.stat(`tenants/${tenant}/imports/${created.id}`))!.etag } }]);
  });

  it("UPL-013 the signed URL of one import does not store another's file; a second upload after 'uploaded' answers 409", async () => {
    const tenant = await imports.newTenant();
    const csv = productsCsv(1);
    const first = await imports.requested(tenant, csv);
    const second = await imports.requested(tenant, csv);
    const crossed = { ...second.upload, url: second.upload.url.replace(second.import.id, first.import.id) };
    const refused = await imports.put(tenant, crossed, csv);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'UPLOAD_URL_INVALID' });
    expect(await storage.stat(`tenants/${tenant}/imports/${second.import.id}`)).toBeUndefined();

    expect((await imports.put(tenant, first.upload, csv)).statusCode).toBe(200);
    expect((await imports.uploaded(tenant, first.import.id)).statusCode).toBe(200);
    const again = await imports.put(tenant, first.upload, csv);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'IMPORT_NOT_AWAITING_UPLOAD' });
  });

  it('UPL-013 a body larger than the limit, or of another type, is refused by the signed URL and stores nothing', async () => {
    const tenant = await imports.newTenant();
    const { import: created, upload } = await imports.requested(tenant, 'sku\n');
    const tooLarge = await imports.put(tenant, upload, 'x'.repeat(MAX_BYTES + 1));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    // UPL-026: refused before any byte is read, and the connection closes rather than read the rest.
    expect(tooLarge.headers.connection).toBe('close');
    const otherType = await imports.put(tenant, upload, 'sku\n', { 'content-type': 'application/pdf' });
    expect(otherType.statusCode).toBe(415);
    expect(await storage.stat(`tenants/${tenant}/imports/${created.id}`)).toBeUndefined();
  });
});

describe('UPL-024 UPL-025 UPL-026 the file the worker reads is the one marked uploaded', () => {
  it('UPL-024 a PUT still streaming when the import is queued is refused with 409 IMPORT_NOT_AWAITING_UPLOAD and discarded; the file marked uploaded is imported', async () => {
    const tenant = await imports.newTenant();
    const first = productsCsv(2, 'FIRST');
    const { import: created, upload } = await imports.requested(tenant, first);
    const key = `tenants/${tenant}/imports/${created.id}`;
    expect((await imports.put(tenant, upload, first)).statusCode).toBe(200);

    const body = new PassThrough();
    const late = imports.put(tenant, upload, body as unknown as Buffer);
    body.write('sku,name,price_minor\n');
    // The second body is being written aside: the checks before reading it passed.
    const partials = async () => (await readdir(join(directory, 'tenants', tenant, 'imports'))).filter((name) => name.endsWith('.partial'));
    await waitUntil(async () => (await partials()).length === 1);
    expect((await imports.uploaded(tenant, created.id)).statusCode).toBe(200);
    body.end('SECOND-1,Second,1\n');

    const refused = await late;
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'IMPORT_NOT_AWAITING_UPLOAD' });
    expect(await text(await storage.read(key))).toBe(first);
    expect(await partials()).toEqual([]);
    expect(await imports.finished(tenant, created.id)).toMatchObject({ state: 'done', rowsImported: 2 });
  });

  it('UPL-025 a file replaced after it was marked uploaded (its URL used again) fails the import with UPLOAD_CHANGED; no row of the other file is imported', async () => {
    const tenant = await imports.newTenant();
    const marked = productsCsv(30, 'MARKED');
    const { import: created, upload } = await imports.requested(tenant, marked);
    expect((await imports.put(tenant, upload, marked)).statusCode).toBe(200);
    expect((await imports.uploaded(tenant, created.id)).statusCode).toBe(200);
    // What a second presigned POST to the bucket does: 30 rows in batches of 3 are far from read yet.
    await storage.put(`tenants/${tenant}/imports/${created.id}`, Buffer.from(productsCsv(30, 'OTHER')), 'text/csv');

    const done = await imports.finished(tenant, created.id);
    expect(done).toMatchObject({ state: 'failed', failureCode: 'UPLOAD_CHANGED' });
    expect(done.rowsImported).toBeLessThan(30);
    expect(await sqlAs(tenant, `select sku from products where sku like 'OTHER-%'`)).toEqual([]);
  });
});

describe('UPL-014 the worker checks the stored file again', () => {
  it.each([
    { what: 'larger than IMPORT_MAX_BYTES', body: Buffer.alloc(MAX_BYTES + 1, 'a'), type: 'text/csv', code: 'UPLOAD_TOO_LARGE' },
    { what: 'of a type that is not CSV', body: Buffer.from('sku,name,price_minor\nA,Apple,1\n'), type: 'application/pdf', code: 'UPLOAD_TYPE_NOT_ALLOWED' },
  ])('UPL-014 a stored file $what fails the import with $code and imports nothing', async ({ body, type, code }) => {
    const tenant = await imports.newTenant();
    const { import: created } = await imports.requested(tenant, 'sku\n');
    // What a client could leave in a bucket whatever it declared (fauxqs does not enforce POST policies either).
    await storage.put(`tenants/${tenant}/imports/${created.id}`, body, type);
    expect((await imports.uploaded(tenant, created.id)).statusCode).toBe(200);
    expect(await imports.finished(tenant, created.id)).toMatchObject({ state: 'failed', failureCode: code, rowsImported: 0 });
    expect(await sqlAs(tenant, 'select sku from products')).toEqual([]);
  });
});

describe('UPL-015 UPL-016 UPL-017 importing products', () => {
  it('UPL-016 UPL-017 valid rows are imported, invalid rows reported by row number (header = 1) and code, none twice', async () => {
    const tenant = await imports.newTenant();
    await imports.api(tenant, { method: 'POST', url: '/products', payload: { sku: 'EXISTING', name: 'Already here', priceMinor: 5 } });
    const csv = [
      'SKU, Name ,price_minor,active',
      'A-1,Apple,120,true',
      'A-2,,120,',
      'A-3,Cherry,-1,',
      'existing,Clash,100,',
      'A-5,"Fig, dried",250,no',
      'a-1,Duplicate in the file,1,',
      'A-7,Grape,12.5,',
      'A-8,Too,many,cells,here',
      'A-9,Kiwi,99,maybe',
      'A-10,"Lemon',
      'zest""",10,yes',
      'A-11,"Mango ""Alphonso""",300,1',
    ].join('\r\n');
    const { import: done, rejections } = await imports.run(tenant, csv);
    expect(done).toMatchObject({ state: 'done', progress: 100, rowsImported: 3, rowsRejected: 8, failureCode: null });
    expect(rejections).toEqual([
      { row: 3, code: 'VALIDATION_FAILED', field: 'name' },
      { row: 4, code: 'VALIDATION_FAILED', field: 'price_minor' },
      { row: 5, code: 'PRODUCT_SKU_TAKEN', field: 'sku' },
      { row: 7, code: 'PRODUCT_SKU_TAKEN', field: 'sku' },
      { row: 8, code: 'VALIDATION_FAILED', field: 'price_minor' },
      { row: 9, code: 'IMPORT_ROW_MALFORMED', field: null },
      { row: 10, code: 'VALIDATION_FAILED', field: 'active' },
      // A quoted line break: one row of two lines, and a name may not hold a line break.
      { row: 11, code: 'VALIDATION_FAILED', field: 'name' },
    ]);
    const rows = await sqlAs(tenant, 'select sku, name, price_minor::int as price, active from products order by sku');
    expect(rows).toEqual([
      { sku: 'A-1', name: 'Apple', price: 120, active: true },
      { sku: 'A-11', name: 'Mango "Alphonso"', price: 300, active: true },
      { sku: 'A-5', name: 'Fig, dried', price: 250, active: false },
      { sku: 'EXISTING', name: 'Already here', price: 5, active: true },
    ]);
    const events = await sqlAs<{ sku: string }>(tenant, `select payload->>'sku' as sku from outbox where type = 'product.created' order by payload->>'sku'`);
    expect(events.map((event) => event.sku)).toEqual(['A-1', 'A-11', 'A-5', 'EXISTING']);
  });

  it('UPL-015 it goes queued → processing → done, each step an import.progressed event with a higher version and progress that never goes back', async () => {
    const tenant = await imports.newTenant();
    const { import: done } = await imports.run(tenant, productsCsv(10));
    expect(done).toMatchObject({ state: 'done', progress: 100, rowsImported: 10, rowsRejected: 0 });
    const events = await sqlAs<{ state: string; progress: number; version: number }>(
      tenant,
      `select payload->>'state' as state, (payload->>'progress')::int as progress, (payload->>'version')::int as version from outbox where type = 'import.progressed' order by id`,
    );
    // 10 rows in batches of 3: four batches after the one that queued it.
    expect(events.map((event) => event.state)).toEqual(['queued', 'processing', 'processing', 'processing', 'done']);
    expect(events.map((event) => event.version)).toEqual([2, 3, 4, 5, 6]);
    const progress = events.map((event) => event.progress);
    expect(progress).toEqual(progress.toSorted((a, b) => a - b));
    expect(progress.slice(1, -1).every((value) => value > 0 && value < 100)).toBe(true);
    expect(progress.at(-1)).toBe(100);
    expect(done.finishedAt).not.toBeNull();
  });

  it('UPL-019 a header without a required column fails the import with IMPORT_HEADER_INVALID', async () => {
    const tenant = await imports.newTenant();
    const { import: done } = await imports.run(tenant, 'sku,title,price_minor\nA,Apple,1\n');
    expect(done).toMatchObject({ state: 'failed', failureCode: 'IMPORT_HEADER_INVALID', rowsImported: 0 });
  });

  it('UPL-019 a file that stops being CSV fails with IMPORT_CSV_MALFORMED; the batches committed before it stay', async () => {
    const tenant = await imports.newTenant();
    const { import: done } = await imports.run(tenant, `${productsCsv(3)}B-1,"never closed,1\nB-2,Pear,1\n`);
    expect(done).toMatchObject({ state: 'failed', failureCode: 'IMPORT_CSV_MALFORMED', rowsImported: 3 });
    expect(await sqlAs(tenant, 'select count(*)::int as count from products')).toEqual([{ count: 3 }]);
  });

  it('UPL-016 a UTF-8 byte order mark before the header is not part of its first column; batches continue after it', async () => {
    const tenant = await imports.newTenant();
    const { import: done } = await imports.run(tenant, `\uFEFF${productsCsv(4, 'BOM')}`);
    expect(done).toMatchObject({ state: 'done', rowsImported: 4, rowsRejected: 0 });
    expect(await sqlAs(tenant, 'select sku from products order by sku')).toEqual(['BOM-1', 'BOM-2', 'BOM-3', 'BOM-4'].map((sku) => ({ sku })));
  });

  it('UPL-019 an empty file fails with IMPORT_CSV_MALFORMED', async () => {
    const tenant = await imports.newTenant();
    const { import: created, upload } = await imports.requested(tenant, ' ');
    await imports.put(tenant, upload, '');
    await imports.uploaded(tenant, created.id);
    expect(await imports.finished(tenant, created.id)).toMatchObject({ state: 'failed', failureCode: 'IMPORT_CSV_MALFORMED' });
  });
});

describe('UPL-018 importing orders follows the order rules', () => {
  it('UPL-018 orders get the next numbers and totals from current prices; unknown SKUs and stores, and rows past the plan limit, are rejected', async () => {
    const tenant = await imports.newTenant();
    const store = (await imports.api(tenant, { method: 'POST', url: '/stores', payload: { name: 'Main street' } })).json<{ id: string }>();
    await imports.api(tenant, { method: 'POST', url: '/products', payload: { sku: 'TEA', name: 'Tea', priceMinor: 450 } });
    await imports.api(tenant, { method: 'POST', url: '/orders', payload: { storeId: store.id, customer: { name: 'Ada', email: 'ada@example.com' }, lines: [{ productId: (await sqlAs<{ id: string }>(tenant, 'select id from products'))[0]!.id, quantity: 1 }] } }, 'member');
    await sqlAs(tenant, `update tenant_plans set limits = jsonb_set(limits, '{ordersPerMonth}', '3')`);
    const csv = [
      'store_id,customer_name,customer_email,sku,quantity,discount_minor,notes',
      `${store.id},Grace,grace@example.com,tea,2,100,Leave at the door`,
      `${store.id},Alan,alan@example.com,COFFEE,1,,`,
      `00000000-0000-7000-8000-000000000000,Barbara,barbara@example.com,TEA,1,,`,
      `${store.id},Edsger,not-an-email,TEA,1,,`,
      `${store.id},Donald,donald@example.com,TEA,3,2000,`,
      `${store.id},Frances,frances@example.com,TEA,1,,`,
      `${store.id},John,john@example.com,TEA,1,,`,
    ].join('\n');
    const { import: done, rejections } = await imports.run(tenant, csv, 'orders-csv');
    expect(done).toMatchObject({ state: 'done', rowsImported: 2, rowsRejected: 5 });
    expect(rejections).toEqual([
      { row: 3, code: 'ORDER_PRODUCT_NOT_FOUND', field: 'sku' },
      { row: 4, code: 'STORE_NOT_FOUND', field: 'store_id' },
      { row: 5, code: 'VALIDATION_FAILED', field: 'customer_email' },
      { row: 6, code: 'ORDER_DISCOUNT_EXCEEDS_SUBTOTAL', field: null },
      { row: 8, code: 'PLAN_LIMIT_REACHED', field: null },
    ]);
    const orders = await sqlAs(tenant, 'select number::int as number, customer_name as name, total_minor::int as total, notes from orders order by number');
    expect(orders).toEqual([
      { number: 1, name: 'Ada', total: 450, notes: '' },
      { number: 2, name: 'Grace', total: 800, notes: 'Leave at the door' },
      { number: 3, name: 'Frances', total: 450, notes: '' },
    ]);
    expect(await sqlAs(tenant, `select count(*)::int as count from outbox where type = 'order.created'`)).toEqual([{ count: 3 }]);
  });
});

describe('UPL-020 batches resume from their checkpoint', () => {
  it('UPL-020 a batch request the checkpoint has moved past (a duplicate) changes nothing', async () => {
    const tenant = await imports.newTenant();
    const { import: done } = await imports.run(tenant, productsCsv(7));
    await sqlAs(tenant, `insert into outbox (tenant_id, event_id, type, payload) values ($1, gen_random_uuid(), 'import.batch_requested', $2)`, [tenant, { importId: done.id, fromRow: 3 }]);
    await sqlAs(tenant, `insert into outbox (tenant_id, event_id, type, payload) values ($1, gen_random_uuid(), 'import.queued', $2)`, [tenant, { importId: done.id, fromRow: 0 }]);
    const processed = () => sqlAs<{ count: number }>(tenant, `select count(*)::int as count from processed_messages where consumer = 'import-worker'`);
    // 3 batches + the 2 stale requests, each recorded in the ledger once handled.
    await waitUntilSeen('5 import-worker ledger rows', async () => (await processed())[0]!.count, (count) => count >= 5);
    expect(await imports.read(tenant, done.id)).toEqual(done);
    expect(await sqlAs(tenant, 'select count(*)::int as count from products')).toEqual([{ count: 7 }]);
  });
});

describe('UPL-021 progress reaches the sockets of the tenant\'s admins after commit', () => {
  it('UPL-021 an admin\'s socket receives import events in version order up to done; a member\'s socket none', async () => {
    const tenant = await imports.newTenant();
    const socketOf = async (role: 'admin' | 'member') => connect(keel.url, (await keel.authorization(tenant, { role })).authorization.slice('Bearer '.length));
    const [client, member] = [await socketOf('admin'), await socketOf('member')];
    const updates: ImportUpdate[] = [];
    const heardByMember: ImportUpdate[] = [];
    client.socket.on('import', (update: ImportUpdate) => updates.push(update));
    member.socket.on('import', (update: ImportUpdate) => heardByMember.push(update));
    try {
      const { import: done } = await imports.run(tenant, productsCsv(5));
      await waitUntilSeen("the admin's socket to hear the import done", () => updates, (heard) => heard.some((update) => update.state === 'done'), 20);
      expect(updates.every((update) => update.importId === done.id)).toBe(true);
      expect(updates.at(-1)).toEqual({ importId: done.id, state: 'done', progress: 100, rowsImported: 5, rowsRejected: 0, failureCode: null, version: done.version });
      const versions = updates.map((update) => update.version);
      expect(new Set(versions).size).toBe(versions.length);
      // One broadcast reaches every socket of this instance at once: the member's heard nothing.
      expect(heardByMember).toEqual([]);
    } finally {
      client.close();
      member.close();
    }
  });
});

describe('UPL-022 reading imports', () => {
  it('UPL-022 lists the tenant\'s imports newest first and pages rejections by row', async () => {
    const tenant = await imports.newTenant();
    const first = await imports.run(tenant, productsCsv(1, 'X'));
    const second = await imports.run(tenant, `sku,name,price_minor\n${Array.from({ length: 5 }, (_, index) => `R-${index},,1`).join('\n')}\n`);
    const list = (await imports.api(tenant, { method: 'GET', url: '/imports?limit=1' })).json<{ items: { id: string }[]; nextCursor: string }>();
    expect(list.items.map((item) => item.id)).toEqual([second.import.id]);
    const next = (await imports.api(tenant, { method: 'GET', url: `/imports?limit=1&cursor=${list.nextCursor}` })).json<{ items: { id: string }[]; nextCursor: string | null }>();
    expect(next).toEqual({ items: [expect.objectContaining({ id: first.import.id })], nextCursor: null });
    const page = (await imports.api(tenant, { method: 'GET', url: `/imports/${second.import.id}/rejections?limit=2&afterRow=3` })).json();
    expect(page).toEqual({ items: [{ row: 4, code: 'VALIDATION_FAILED', field: 'name' }, { row: 5, code: 'VALIDATION_FAILED', field: 'name' }], nextAfterRow: 5 });
    expect(second.rejections.map((rejection) => rejection.row)).toEqual([2, 3, 4, 5, 6]);
  });
});

/** Polls `read` until `done` holds; after 10 s (well before the test's timeout) fails with what it last read. */
async function waitUntilSeen<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return;
    if (Date.now() > deadline) throw new Error(`waited 10 s for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

describe("UPL-023 the plan's import rows per month", () => {
  it('UPL-023 rows beyond what the month leaves are rejected with PLAN_LIMIT_REACHED; imported rows are metered as import.rows and counted this month', async () => {
    const tenant = await imports.newTenant();
    await sqlAs(tenant, `update tenant_plans set limits = limits || '{"importRowsPerMonth": 5}'`);

    const first = await imports.run(tenant, productsCsv(7));
    expect(first.import).toMatchObject({ state: 'done', rowsImported: 5, rowsRejected: 2 });
    expect(first.rejections).toEqual([
      { row: 7, code: 'PLAN_LIMIT_REACHED', field: null },
      { row: 8, code: 'PLAN_LIMIT_REACHED', field: null },
    ]);
    const second = await imports.run(tenant, productsCsv(1, 'Q'));
    expect(second.import).toMatchObject({ state: 'done', rowsImported: 0, rowsRejected: 1 });
    expect(second.rejections).toEqual([{ row: 2, code: 'PLAN_LIMIT_REACHED', field: null }]);

    expect(await sqlAs(tenant, 'select count(*)::int as products from products')).toEqual([{ products: 5 }]);
    const usage = await imports.api(tenant, { method: 'GET', url: '/usage' }, 'owner');
    expect(usage.json()).toMatchObject({ usage: { importRowsThisMonth: 5 }, today: { 'import.rows': 5 } });
  });
});
