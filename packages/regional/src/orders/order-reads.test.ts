import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISO, expectError, orderBody, startOrdersKit, type OrderDetail, type OrdersKit } from './test/orders-kit.ts';

/** GET /api/v1/orders/:orderId and GET /api/v1/orders: what they show, their filters, their query counts. */

let kit: OrdersKit;

beforeAll(async () => {
  kit = await startOrdersKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe('ORD-015 the order detail', () => {
  it('ORD-015 shows the lines in position order with the products’ current names and SKUs, the allowed transitions and the status history oldest first', async () => {
    const tenant = await kit.newTenant();
    const store = await kit.createStore(tenant, 'Harbour');
    const [beans, papers] = await kit.insertProducts(tenant, [{ priceMinor: 1_250, name: 'Beans' }, { priceMinor: 399, name: 'Papers' }]);
    const [creator, confirmer, packer] = [randomUUID(), randomUUID(), randomUUID()];
    const created = await kit.api(tenant, { method: 'POST', url: '/orders', payload: orderBody(store.id, [{ productId: papers!.id, quantity: 2 }, { productId: beans!.id }]) }, { userId: creator });
    const order = created.json<OrderDetail>();
    await changeStatus(tenant, order.id, 'CONFIRMED', 1, confirmer);
    await changeStatus(tenant, order.id, 'PACKED', 2, packer);
    await kit.sql(tenant, `update products set name = 'Beans (1 kg)', sku = 'BEANS-1KG' where id = $1`, [beans!.id]);

    const read = await kit.getOrder(tenant, order.id);
    expect(read).toMatchObject({ number: 1, status: 'PACKED', allowedTransitions: ['SHIPPED', 'CANCELLED'], store: { id: store.id, name: 'Harbour' }, version: 3 });
    expect(read.lines).toEqual([
      { position: 1, productId: papers!.id, productName: 'Papers', sku: papers!.sku, quantity: 2, unitPriceMinor: 399, lineTotalMinor: 798 },
      { position: 2, productId: beans!.id, productName: 'Beans (1 kg)', sku: 'BEANS-1KG', quantity: 1, unitPriceMinor: 1_250, lineTotalMinor: 1_250 },
    ]);
    expect(read.statusHistory).toEqual([
      { from: null, to: 'PENDING', by: creator, at: expect.stringMatching(ISO) },
      { from: 'PENDING', to: 'CONFIRMED', by: confirmer, at: expect.stringMatching(ISO) },
      { from: 'CONFIRMED', to: 'PACKED', by: packer, at: expect.stringMatching(ISO) },
    ]);
    const times = read.statusHistory.map((change) => Date.parse(change.at));
    expect(times).toEqual(times.toSorted((a, b) => a - b));
  });

  it('ORD-015 reads an order of 50 lines in as many queries as an order of 5', async () => {
    const tenant = await kit.newTenant();
    const store = await kit.createStore(tenant);
    const products = await kit.insertProducts(tenant, Array.from({ length: 50 }, (_, index) => ({ priceMinor: 100 + index })));
    const small = await kit.createOrder(tenant, orderBody(store.id, products.slice(0, 5).map((product) => ({ productId: product.id }))));
    const large = await kit.createOrder(tenant, orderBody(store.id, products.map((product) => ({ productId: product.id }))));
    const counts = [];
    for (const order of [small, large]) {
      const response = await kit.api(tenant, { method: 'GET', url: `/orders/${order.id}` });
      expect(response.json<OrderDetail>().lines).toHaveLength(order.lines.length);
      counts.push(response.headers['x-query-count']);
    }
    expect(counts[0]).toMatch(/^\d+$/);
    expect(counts[1]).toBe(counts[0]);
  });
});

describe('ORD-016 an order the tenant does not have', () => {
  const endpoints: { endpoint: string; request: (order: { id: string; version: number }) => InjectOptions }[] = [
    { endpoint: 'GET /orders/:orderId', request: (order) => ({ method: 'GET', url: `/orders/${order.id}` }) },
    { endpoint: 'POST /orders/:orderId/status', request: (order) => ({ method: 'POST', url: `/orders/${order.id}/status`, payload: { status: 'CONFIRMED', version: order.version } }) },
    { endpoint: 'PATCH /orders/:orderId', request: (order) => ({ method: 'PATCH', url: `/orders/${order.id}`, payload: { notes: 'Taken over', version: order.version } }) },
  ];

  it.each(endpoints)('ORD-016 $endpoint with an unknown id answers 404 ORDER_NOT_FOUND', async ({ request }) => {
    const tenant = await kit.newTenant();
    expectError(await kit.api(tenant, request({ id: randomUUID(), version: 1 })), 404, 'ORDER_NOT_FOUND');
  });

  it.each(endpoints)("ORD-016 $endpoint with another tenant's order answers 404 ORDER_NOT_FOUND and changes nothing", async ({ request }) => {
    const owner = await kit.newTenant();
    const store = await kit.createStore(owner);
    const [product] = await kit.insertProducts(owner, [{ priceMinor: 500 }]);
    const order = await kit.createOrder(owner, orderBody(store.id, [{ productId: product!.id }]));
    expectError(await kit.api(await kit.newTenant(), request(order)), 404, 'ORDER_NOT_FOUND');
    expect(await kit.getOrder(owner, order.id)).toEqual(order);
    expect(await kit.eventsOf(owner, order.id)).toHaveLength(1);
  });
});

describe('ORD-017 the order list', () => {
  it('ORD-017 lists the tenant’s orders newest first with their store, customer, line count, total, currency and version', async () => {
    const tenant = await kit.newTenant();
    const [north, south] = [await kit.createStore(tenant, 'North'), await kit.createStore(tenant, 'South')];
    const [product] = await kit.insertProducts(tenant, [{ priceMinor: 250 }]);
    const first = await kit.createOrder(tenant, orderBody(north.id, [{ productId: product!.id, quantity: 2 }, { productId: product!.id }], { taxMinor: 10 }));
    await kit.createOrder(tenant, orderBody(south.id, [{ productId: product!.id }]));
    const third = await kit.createOrder(tenant, orderBody(north.id, [{ productId: product!.id }]));
    await changeStatus(tenant, third.id, 'CONFIRMED', 1);

    const page = await list(tenant, '');
    expect(page.items.map((item) => item.number)).toEqual([3, 2, 1]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[2]).toEqual({
      id: first.id,
      number: 1,
      status: 'PENDING',
      store: { id: north.id, name: 'North' },
      customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      lineCount: 2,
      totalMinor: 760,
      currency: 'USD',
      createdAt: first.createdAt,
      version: 1,
    });
    expect(page.items[0]).toMatchObject({ status: 'CONFIRMED', version: 2, store: { name: 'North' } });
    expect(page.items[1]).toMatchObject({ store: { id: south.id, name: 'South' } });
  });

  it('ORD-017 pages through every order exactly once, newest first', async () => {
    const tenant = await kit.newTenant();
    await seedOrders(tenant, 23);
    const numbers: number[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(tenant, `limit=5${cursor === null ? '' : `&cursor=${cursor}`}`);
      numbers.push(...page.items.map((item) => item.number));
      sizes.push(page.items.length);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect(numbers).toEqual(Array.from({ length: 23 }, (_, index) => 23 - index));
  });

  it('ORD-017 shows 50 orders a page by default and at most 200', async () => {
    const tenant = await kit.newTenant();
    await seedOrders(tenant, 201);
    const byDefault = await list(tenant, '');
    expect({ items: byDefault.items.length, more: byDefault.nextCursor !== null }).toEqual({ items: 50, more: true });
    const largest = await list(tenant, 'limit=200');
    expect({ items: largest.items.length, more: largest.nextCursor !== null }).toEqual({ items: 200, more: true });
    expectError(await kit.api(tenant, { method: 'GET', url: '/orders?limit=201' }), 400, 'VALIDATION_FAILED', ['query.limit']);
  });

  it.each([
    { filters: 'no filter', query: 'limit=200' },
    { filters: 'statuses and a search', query: 'limit=200&status=PENDING,CONFIRMED&q=customer' },
  ])('ORD-017 lists 500 orders with $filters in as many queries as 5', async ({ query }) => {
    const counts: string[] = [];
    for (const count of [5, 500]) {
      const tenant = await kit.newTenant();
      await seedOrders(tenant, count);
      const response = await kit.api(tenant, { method: 'GET', url: `/orders?${query}` });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Page>().items.length).toBeGreaterThan(0);
      counts.push(String(response.headers['x-query-count']));
    }
    expect(counts[0]).toMatch(/^\d+$/);
    expect(counts[1]).toBe(counts[0]);
  });
});

describe('ORD-018 the order list filters', () => {
  let tenant: string;
  let stores: { north: string; south: string };

  /**
   * Six orders: number, store, customer, status, creation time.
   *   1 North  Ada Lovelace  ada@example.com          PENDING    2026-01-10
   *   2 South  Grace Hopper  grace@navy.example       CONFIRMED  2026-01-20
   *   3 North  Alan Turing   alan@bletchley.example   SHIPPED    2026-02-01T00:00:00Z
   *   4 South  Ada Byron     countess@example.org     CANCELLED  2026-02-15
   *   5 North  100% Juice    sales@juice.example      DELIVERED  2026-03-01
   *   6 North  Under_Score   us@example.com           PENDING    2026-03-05
   */
  beforeAll(async () => {
    tenant = await kit.newTenant();
    const [north, south] = [await kit.createStore(tenant, 'North'), await kit.createStore(tenant, 'South')];
    stores = { north: north.id, south: south.id };
    const [product] = await kit.insertProducts(tenant, [{ priceMinor: 100 }]);
    const fixtures = [
      { store: north.id, name: 'Ada Lovelace', email: 'ada@example.com', status: 'PENDING', at: '2026-01-10T12:00:00Z' },
      { store: south.id, name: 'Grace Hopper', email: 'grace@navy.example', status: 'CONFIRMED', at: '2026-01-20T12:00:00Z' },
      { store: north.id, name: 'Alan Turing', email: 'alan@bletchley.example', status: 'SHIPPED', at: '2026-02-01T00:00:00Z' },
      { store: south.id, name: 'Ada Byron', email: 'countess@example.org', status: 'CANCELLED', at: '2026-02-15T12:00:00Z' },
      { store: north.id, name: '100% Juice', email: 'sales@juice.example', status: 'DELIVERED', at: '2026-03-01T12:00:00Z' },
      { store: north.id, name: 'Under_Score', email: 'us@example.com', status: 'PENDING', at: '2026-03-05T12:00:00Z' },
    ];
    for (const fixture of fixtures) {
      const order = await kit.createOrder(tenant, { ...orderBody(fixture.store, [{ productId: product!.id }]), customer: { name: fixture.name, email: fixture.email } });
      await kit.sql(tenant, 'update orders set status = $2, created_at = $3 where id = $1', [order.id, fixture.status, fixture.at]);
    }
  });

  it.each<{ filter: string; query: (stores: { north: string; south: string }) => string; numbers: number[] }>([
    { filter: 'one status', query: () => 'status=PENDING', numbers: [6, 1] },
    { filter: 'several statuses', query: () => 'status=PENDING,CANCELLED,SHIPPED', numbers: [6, 4, 3, 1] },
    { filter: 'a store', query: (s) => `storeId=${s.south}`, numbers: [4, 2] },
    { filter: 'from, inclusive', query: () => 'from=2026-02-01T00:00:00Z', numbers: [6, 5, 4, 3] },
    { filter: 'from with an offset', query: () => `from=${encodeURIComponent('2026-02-01T01:00:00+01:00')}`, numbers: [6, 5, 4, 3] },
    { filter: 'to, exclusive', query: () => 'to=2026-02-01T00:00:00Z', numbers: [2, 1] },
    { filter: 'from and to', query: () => 'from=2026-01-15T00:00:00Z&to=2026-03-01T12:00:00Z', numbers: [4, 3, 2] },
    { filter: 'an order number', query: () => 'q=3', numbers: [3] },
    { filter: 'an order number with #', query: () => `q=${encodeURIComponent('#5')}`, numbers: [5] },
    { filter: 'a part of customer names in another case', query: () => 'q=ADA', numbers: [4, 1] },
    { filter: 'a part of an email', query: () => 'q=Example.ORG', numbers: [4] },
    { filter: 'a search with surrounding spaces', query: () => 'q=%20hopper%20', numbers: [2] },
    { filter: 'a literal %', query: () => `q=${encodeURIComponent('%')}`, numbers: [5] },
    { filter: 'a literal _', query: () => 'q=_', numbers: [6] },
    { filter: 'a search that matches nothing', query: () => 'q=nobody', numbers: [] },
    { filter: 'status, store and search together', query: (s) => `status=PENDING,SHIPPED&storeId=${s.north}&q=a`, numbers: [6, 3, 1] },
    { filter: 'a filter and a page', query: () => 'status=PENDING,CONFIRMED,SHIPPED&limit=2', numbers: [6, 3] },
  ])('ORD-018 filters by $filter', async ({ query, numbers }) => {
    expect((await list(tenant, query(stores))).items.map((item) => item.number)).toEqual(numbers);
  });

  it.each([
    { mistake: 'an unknown status', query: 'status=LOST', path: 'query.status' },
    { mistake: 'an unknown status among known ones', query: 'status=PENDING,lost', path: 'query.status' },
    { mistake: 'an empty status', query: 'status=', path: 'query.status' },
    { mistake: 'a store id that is not a UUID', query: 'storeId=north', path: 'query.storeId' },
    { mistake: 'a from that is not a timestamp', query: 'from=yesterday', path: 'query.from' },
    { mistake: 'a from without a time', query: 'from=2026-01-01', path: 'query.from' },
    { mistake: 'a to without an offset', query: 'to=2026-01-01T00:00:00', path: 'query.to' },
    { mistake: 'a to equal to from', query: 'from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', path: 'query.to' },
    { mistake: 'a to before from', query: 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', path: 'query.to' },
    { mistake: 'an empty search', query: 'q=', path: 'query.q' },
    { mistake: 'a blank search', query: 'q=%20%20', path: 'query.q' },
    { mistake: 'a search with a NUL character', query: 'q=%00', path: 'query.q' },
    { mistake: 'a search with a line break', query: 'q=ana%0Abob', path: 'query.q' },
    { mistake: 'a cursor Keel did not make', query: 'cursor=abc', path: 'query.cursor' },
    { mistake: 'an unknown parameter', query: 'sort=number', path: 'query.sort' },
  ])('ORD-018 $mistake answers 400 VALIDATION_FAILED naming $path', async ({ query, path }) => {
    expectError(await kit.api(tenant, { method: 'GET', url: `/orders?${query}` }), 400, 'VALIDATION_FAILED', [path]);
  });
});

// ---------------------------------------------------------------------------------------------

interface Page {
  items: { id: string; number: number; [field: string]: unknown }[];
  nextCursor: string | null;
}

async function list(tenantId: string, query: string): Promise<Page> {
  const response = await kit.api(tenantId, { method: 'GET', url: `/orders?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
}

async function changeStatus(tenantId: string, orderId: string, status: string, version: number, userId?: string): Promise<void> {
  const response = await kit.api(tenantId, { method: 'POST', url: `/orders/${orderId}/status`, payload: { status, version } }, { userId });
  expect(response.statusCode, response.body).toBe(200);
}

/**
 * `count` orders numbered 1…count in one statement each for orders and lines, spread over three
 * stores and every status, as the regional owner (seeding 500 through the API would test nothing more).
 */
async function seedOrders(tenantId: string, count: number): Promise<void> {
  const stores = await Promise.all([1, 2, 3].map(() => kit.createStore(tenantId)));
  const [product] = await kit.insertProducts(tenantId, [{ priceMinor: 100 }]);
  await kit.sql(
    tenantId,
    `with created as (
       insert into orders (tenant_id, number, store_id, customer_name, customer_email, status, currency, subtotal_minor, discount_minor, tax_minor, total_minor, line_count, created_by)
       select $1, n, ($2::uuid[])[n % 3 + 1], 'Customer ' || n, 'customer' || n || '@example.com',
              (array['PENDING','CONFIRMED','PACKED','SHIPPED','DELIVERED','CANCELLED','RETURN_REQUESTED','RETURNED'])[n % 8 + 1],
              'USD', 200, 0, 0, 200, 2, 'seed'
       from generate_series(1, $3::int) as n
       order by n
       returning id)
     insert into order_lines (tenant_id, order_id, position, product_id, quantity, unit_price_minor)
     select $1, created.id, position, $4, 1, 100 from created cross join generate_series(1, 2) as position`,
    [tenantId, stores.map((store) => store.id), count, product!.id],
  );
}
