import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, orderBody, startOrdersKit, type OrdersKit } from './test/orders-kit.ts';

/** `Idempotency-Key` on POST /api/v1/orders: a retry gets the first order and creates nothing. */

let kit: OrdersKit;

beforeAll(async () => {
  kit = await startOrdersKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe('ORD-012 a retry with the same key and body', () => {
  it('ORD-012 answers 200 with the first order and creates nothing: no order, number or event', async () => {
    const { tenant, body } = await shop();
    const key = randomUUID();
    const first = await create(tenant, body, key);
    expect(first.statusCode, first.body).toBe(201);
    const before = await kit.writes(tenant);
    const retry = await create(tenant, body, key);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await kit.writes(tenant)).toEqual(before);
    expect(before).toMatchObject({ orders: 1, idempotencyKeys: 1, orderEvents: 1, lastNumber: 1 });
  });

  it('ORD-012 compares the parsed body: key order, spacing, trimmed text and written-out defaults do not matter', async () => {
    const { tenant, body } = await shop();
    const key = randomUUID();
    const first = (await create(tenant, body, key)).json<{ id: string }>();
    const same = {
      notes: '',
      taxMinor: 0,
      lines: body.lines,
      discountMinor: 0,
      customer: { email: 'ada@example.com', name: '  Ada Lovelace ' },
      storeId: body.storeId,
    };
    const raw = await kit.api(tenant, { method: 'POST', url: '/orders', payload: JSON.stringify(same, null, 4), headers: { 'content-type': 'application/json', 'idempotency-key': key } });
    expect(raw.statusCode, raw.body).toBe(200);
    expect(raw.json()).toMatchObject({ id: first.id });
    expect(await kit.writes(tenant)).toMatchObject({ orders: 1 });
  });

  it('ORD-012 answers the first order as it is now', async () => {
    const { tenant, body } = await shop();
    const key = randomUUID();
    const first = (await create(tenant, body, key)).json<{ id: string }>();
    const changed = await kit.api(tenant, { method: 'POST', url: `/orders/${first.id}/status`, payload: { status: 'CONFIRMED', version: 1 } });
    expect(changed.statusCode, changed.body).toBe(200);
    const retry = await create(tenant, body, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(changed.json());
  });

  it("ORD-012 keys belong to the tenant: another tenant's request with the same key creates its own order", async () => {
    const [one, two] = [await shop(), await shop()];
    const key = 'shared-key-1';
    const first = await create(one.tenant, one.body, key);
    const second = await create(two.tenant, two.body, key);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
  });

  it('ORD-012 a refused creation stores no key: sent again with the key once fixed, it creates the order', async () => {
    const { tenant, body, inactiveProductId } = await shop();
    const key = randomUUID();
    expectError(await create(tenant, { ...body, lines: [{ productId: inactiveProductId, quantity: 1 }] }, key), 422, 'ORDER_PRODUCT_INACTIVE', ['body.lines.0.productId']);
    expect(await kit.writes(tenant)).toMatchObject({ orders: 0, idempotencyKeys: 0 });
    const fixed = await create(tenant, body, key);
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.json()).toMatchObject({ number: 1 });
  });

  it('ORD-012 accepts a key of 1 and of 255 visible ASCII characters', async () => {
    const { tenant, body } = await shop();
    const long = Array.from({ length: 255 }, (_, index) => String.fromCharCode(0x21 + (index % 94))).join('');
    for (const key of ['k', long]) expect((await create(tenant, body, key)).statusCode).toBe(201);
    expect((await create(tenant, body, long)).statusCode).toBe(200);
  });

  it.each([
    { kind: 'empty', key: '' },
    { kind: '256 characters long', key: 'k'.repeat(256) },
    { kind: 'with a space', key: 'order 1' },
    { kind: 'with a tab', key: 'order\t1' },
    { kind: 'not ASCII', key: 'commande-é' },
  ])('ORD-012 refuses a key that is $kind with 400 VALIDATION_FAILED naming headers.idempotency-key, writing nothing', async ({ key }) => {
    const { tenant, body } = await shop();
    expectError(await create(tenant, body, key), 400, 'VALIDATION_FAILED', ['headers.idempotency-key']);
    expect(await kit.writes(tenant)).toMatchObject({ orders: 0, idempotencyKeys: 0, orderEvents: 0, lastNumber: null });
  });
});

describe('ORD-013 a key reused with another body', () => {
  it.each<{ change: string; alter: (body: Body) => Body }>([
    { change: 'another quantity', alter: (body) => ({ ...body, lines: [{ ...body.lines[0]!, quantity: 2 }] }) },
    { change: 'another customer email', alter: (body) => ({ ...body, customer: { ...body.customer, email: 'grace@example.com' } }) },
    { change: 'a discount', alter: (body) => ({ ...body, discountMinor: 1 }) },
    { change: 'notes', alter: (body) => ({ ...body, notes: 'Gift wrap' }) },
    { change: 'another store', alter: (body) => ({ ...body, storeId: randomUUID() }) },
  ])('ORD-013 with $change answers 409 IDEMPOTENCY_KEY_REUSED and writes nothing', async ({ alter }) => {
    const { tenant, body } = await shop();
    const key = randomUUID();
    expect((await create(tenant, body, key)).statusCode).toBe(201);
    const before = await kit.writes(tenant);
    expectError(await create(tenant, alter(body), key), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await kit.writes(tenant)).toEqual(before);
  });
});

describe('ORD-014 concurrent creations with one key', () => {
  it('ORD-014 ten parallel requests over HTTP with one key create one order: one 201, nine 200 with that order', async () => {
    const { tenant, body } = await shop();
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const response = await fetch(`${kit.keel.url}/api/v1/orders`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(await kit.bearer(tenant)) },
        });
        return { status: response.status, id: ((await response.json()) as { id: string }).id };
      }),
    );
    expect(responses.map((response) => response.status).toSorted()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.id)).size).toBe(1);
    expect(await kit.writes(tenant)).toMatchObject({ orders: 1, idempotencyKeys: 1, orderEvents: 1, lastNumber: 1 });
  });
});

// ---------------------------------------------------------------------------------------------

type Body = { storeId: string; customer: { name: string; email: string }; lines: { productId: string; quantity: number }[]; [field: string]: unknown };

/** A tenant with a store, an active and an inactive product, and a valid body for one line. */
async function shop(): Promise<{ tenant: string; body: Body; inactiveProductId: string }> {
  const tenant = await kit.newTenant();
  const store = await kit.createStore(tenant);
  const [active, inactive] = await kit.insertProducts(tenant, [{ priceMinor: 1_000 }, { priceMinor: 1_000, active: false }]);
  return { tenant, body: orderBody(store.id, [{ productId: active!.id }]) as Body, inactiveProductId: inactive!.id };
}

function create(tenantId: string, body: Body, key: string): Promise<LightMyRequestResponse> {
  return kit.api(tenantId, { method: 'POST', url: '/orders', payload: body, headers: { 'idempotency-key': key } });
}
