import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { countProducts, insertOrderWithLine } from './test/catalogue-sql.ts';

let keel: TestKeel;
let worker: pg.Client;
let owner: pg.Client;
const tenantId = randomUUID();

beforeAll(async () => {
  keel = await startTestKeel();
  await keel.provisionTenant(tenantId);
  worker = new pg.Client({ connectionString: keel.databases.regional.worker });
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await Promise.all([worker.connect(), owner.connect()]);
});

afterAll(async () => {
  await Promise.all([worker?.end(), owner?.end()]);
  await keel?.stop();
});

describe('CAT-012 product changes append their events to the outbox; refused ones append none', () => {
  let productId: string;

  it('CAT-012 appends product.created with the new product and version 1', async () => {
    const created = await api({ method: 'POST', url: '/products', payload: { sku: 'TEA-001', name: 'Green tea', priceMinor: 1250 } });
    expect(created.statusCode, created.body).toBe(201);
    productId = created.json().id;
    expect(await eventsOf(productId)).toEqual([
      { type: 'product.created', payload: { productId, sku: 'TEA-001', name: 'Green tea', priceMinor: 1250, active: true, version: 1 } },
    ]);
  });

  it('CAT-012 appends product.changed with the product as changed and the new version', async () => {
    expect((await api({ method: 'PATCH', url: `/products/${productId}`, payload: { priceMinor: 1400, active: false, version: 1 } })).statusCode).toBe(200);
    expect((await eventsOf(productId)).at(-1)).toEqual({
      type: 'product.changed',
      payload: { productId, sku: 'TEA-001', name: 'Green tea', priceMinor: 1400, active: false, version: 2 },
    });
  });

  it.each<{ refusal: string; status: number; request: () => InjectOptions }>([
    { refusal: 'a stale version', status: 409, request: () => ({ method: 'PATCH', url: `/products/${productId}`, payload: { name: 'Stale', version: 1 } }) },
    { refusal: 'a taken SKU', status: 409, request: () => ({ method: 'PATCH', url: `/products/${productId}`, payload: { sku: 'taken-1', version: 2 } }) },
    { refusal: 'nothing to change', status: 400, request: () => ({ method: 'PATCH', url: `/products/${productId}`, payload: { version: 2 } }) },
    { refusal: 'a stale delete', status: 409, request: () => ({ method: 'DELETE', url: `/products/${productId}?version=1` }) },
    { refusal: 'a member', status: 403, request: () => ({ method: 'PATCH', url: `/products/${productId}`, payload: { name: 'By a member', version: 2 }, role: 'member' }) },
  ])('CAT-012 emits nothing for a change refused for $refusal ($status)', async ({ status, request }) => {
    await ensureProduct('TAKEN-1');
    const before = await countOutboxRows();
    expect((await api(request())).statusCode).toBe(status);
    expect(await countOutboxRows()).toBe(before);
  });

  it.each<{ refusal: string; status: number; payload: unknown }>([
    { refusal: 'a taken SKU', status: 409, payload: { sku: 'tea-001', name: 'Duplicate', priceMinor: 1 } },
    { refusal: 'a negative price', status: 400, payload: { sku: 'NEW-1', name: 'Negative', priceMinor: -1 } },
  ])('CAT-012 leaves no product and no outbox row behind a creation refused for $refusal ($status)', async ({ status, payload }) => {
    const before = { outbox: await countOutboxRows(), products: await countProducts(owner, tenantId) };
    expect((await api({ method: 'POST', url: '/products', payload: payload as object })).statusCode).toBe(status);
    expect({ outbox: await countOutboxRows(), products: await countProducts(owner, tenantId) }).toEqual(before);
  });

  it('CAT-012 CAT-010 emits nothing when a product on an order line is not deleted', async () => {
    const ordered = await ensureProduct('ORDERED-1');
    await insertOrderWithLine(owner, tenantId, ordered, 1);
    const before = await countOutboxRows();
    expect((await api({ method: 'DELETE', url: `/products/${ordered}?version=1` })).statusCode).toBe(409);
    expect(await countOutboxRows()).toBe(before);
  });

  it('CAT-012 appends product.deleted with the version the deletion makes', async () => {
    expect((await api({ method: 'DELETE', url: `/products/${productId}?version=2` })).statusCode).toBe(204);
    expect((await eventsOf(productId)).at(-1)).toEqual({
      type: 'product.deleted',
      payload: { productId, sku: 'TEA-001', name: 'Green tea', priceMinor: 1400, active: false, version: 3 },
    });
  });
});

/** A request to `/api/v1` as the tenant's admin (or the role given). */
async function api(request: InjectOptions & { role?: 'member' | 'admin' }) {
  const { role = 'admin', ...rest } = request;
  return keel.app.inject({ ...rest, url: `/api/v1${String(rest.url)}`, headers: await keel.authorization(tenantId, { role }) });
}

/** The id of the product with this SKU, created when missing. */
async function ensureProduct(sku: string): Promise<string> {
  const listed = await api({ method: 'GET', url: `/products?q=${sku}` });
  const found = listed.json<{ items: { id: string; sku: string }[] }>().items.find((product) => product.sku === sku);
  if (found) return found.id;
  return (await api({ method: 'POST', url: '/products', payload: { sku, name: sku, priceMinor: 100 } })).json<{ id: string }>().id;
}

/** The worker role reads the outbox across tenants (its own policy), as the relay does. */
async function eventsOf(productId: string): Promise<{ type: string; payload: unknown }[]> {
  const { rows } = await worker.query<{ type: string; payload: unknown }>(
    `select type, payload from outbox where tenant_id = $1 and payload->>'productId' = $2 order by id`,
    [tenantId, productId],
  );
  return rows;
}

async function countOutboxRows(): Promise<number> {
  const { rows } = await worker.query<{ count: number }>('select count(*)::int as count from outbox where tenant_id = $1', [tenantId]);
  return rows[0]!.count;
}
