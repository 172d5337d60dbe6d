import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISO, UUID, expectError, orderBody, startOrdersKit, type OrdersKit, type Product } from './test/orders-kit.ts';

/** POST /api/v1/orders: what a creation writes, what it computes, and what it refuses. */

let kit: OrdersKit;

beforeAll(async () => {
  kit = await startOrdersKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe('ORD-006 ORD-002 creating an order', () => {
  it('ORD-006 ORD-002 creates a PENDING order at version 1, lines in request order, amounts computed by the server, and answers 201 with its detail', async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 1250, name: 'Espresso beans' }, { priceMinor: 399, name: 'Filter papers' }]);
    const userId = randomUUID();
    const body = orderBody(store.id, [{ productId: products[1]!.id, quantity: 3 }, { productId: products[0]!.id, quantity: 2 }], { discountMinor: 500, taxMinor: 180, notes: ' Leave at the door ' });
    const response = await kit.api(tenant, { method: 'POST', url: '/orders', payload: body }, { userId });

    expect(response.statusCode, response.body).toBe(201);
    const order = response.json();
    expect(order).toEqual({
      id: expect.stringMatching(UUID),
      number: 1,
      status: 'PENDING',
      allowedTransitions: ['CONFIRMED', 'CANCELLED'],
      store: { id: store.id, name: store.name },
      customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      lines: [
        { position: 1, productId: products[1]!.id, productName: 'Filter papers', sku: products[1]!.sku, quantity: 3, unitPriceMinor: 399, lineTotalMinor: 1197 },
        { position: 2, productId: products[0]!.id, productName: 'Espresso beans', sku: products[0]!.sku, quantity: 2, unitPriceMinor: 1250, lineTotalMinor: 2500 },
      ],
      subtotalMinor: 3697,
      discountMinor: 500,
      taxMinor: 180,
      totalMinor: 3377,
      currency: 'USD',
      notes: 'Leave at the door',
      version: 1,
      statusHistory: [{ from: null, to: 'PENDING', by: userId, at: expect.stringMatching(ISO) }],
      createdAt: expect.stringMatching(ISO),
      updatedAt: order.createdAt,
    });
    expect(await kit.getOrder(tenant, order.id)).toEqual(order);
    const [row] = await kit.sql(tenant, 'select created_by, line_count from orders where id = $1', [order.id]);
    expect(row).toEqual({ created_by: userId, line_count: 2 });
  });

  it("ORD-006 takes the tenant's currency", async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 700 }]);
    await kit.sql(tenant, `update tenants set currency = 'EUR'`);
    expect((await kit.createOrder(tenant, orderBody(store.id, [{ productId: products[0]!.id }]))).currency).toBe('EUR');
  });

  it('ORD-006 appends order.created with the order id, number, store, status, version, currency, amounts, line count and creator', async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 1000 }, { priceMinor: 250 }]);
    const order = await kit.createOrder(tenant, orderBody(store.id, [{ productId: products[0]!.id, quantity: 2 }, { productId: products[1]!.id }], { discountMinor: 100, taxMinor: 35 }));
    expect(await kit.eventsOf(tenant, order.id)).toEqual([
      {
        type: 'order.created',
        payload: {
          orderId: order.id,
          number: 1,
          storeId: store.id,
          status: 'PENDING',
          version: 1,
          currency: 'USD',
          subtotalMinor: 2250,
          discountMinor: 100,
          taxMinor: 35,
          totalMinor: 2185,
          lineCount: 2,
          by: order.statusHistory[0]!.by,
        },
      },
    ]);
  });

  it('ORD-002 keeps the unit price captured at creation when the product price changes later', async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 999 }]);
    const order = await kit.createOrder(tenant, orderBody(store.id, [{ productId: products[0]!.id, quantity: 4 }]));
    await kit.sql(tenant, 'update products set price_minor = 5000 where id = $1', [products[0]!.id]);
    const read = await kit.getOrder(tenant, order.id);
    expect({ unit: read.lines[0]!.unitPriceMinor, line: read.lines[0]!.lineTotalMinor, total: read.totalMinor }).toEqual({ unit: 999, line: 3996, total: 3996 });
  });

  it('ORD-002 ORD-010 a discount equal to the subtotal leaves the tax as the total', async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 600 }]);
    const order = await kit.createOrder(tenant, orderBody(store.id, [{ productId: products[0]!.id, quantity: 2 }], { discountMinor: 1200, taxMinor: 0 }));
    expect({ subtotal: order.subtotalMinor, total: order.totalMinor }).toEqual({ subtotal: 1200, total: 0 });
  });

  it('ORD-007 puts the same product on two lines, each priced alike', async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 150 }]);
    const productId = products[0]!.id;
    const order = await kit.createOrder(tenant, orderBody(store.id, [{ productId, quantity: 1 }, { productId, quantity: 5 }]));
    expect(order.lines.map(({ position, quantity, lineTotalMinor }) => ({ position, quantity, lineTotalMinor }))).toEqual([
      { position: 1, quantity: 1, lineTotalMinor: 150 },
      { position: 2, quantity: 5, lineTotalMinor: 750 },
    ]);
    expect(order.subtotalMinor).toBe(900);
  });

  it('ORD-007 accepts 100 lines, and quantities of 1 and 10,000', async () => {
    const { tenant, store, products } = await shop(Array.from({ length: 100 }, (_, index) => ({ priceMinor: index + 1 })));
    const order = await kit.createOrder(tenant, orderBody(store.id, products.map((product, index) => ({ productId: product.id, quantity: index === 0 ? 10_000 : 1 }))));
    expect(order.lines).toHaveLength(100);
    expect(order.lines.map((line) => line.position)).toEqual(products.map((_, index) => index + 1));
    expect(order.subtotalMinor).toBe(10_000 + (100 * 101) / 2 - 1);
  });

  it('ORD-010 accepts a subtotal of exactly 100,000,000,000 minor units and the largest discount and tax', async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 50_000_000_000 }]);
    const order = await kit.createOrder(tenant, orderBody(store.id, [{ productId: products[0]!.id, quantity: 2 }], { discountMinor: 100_000_000_000, taxMinor: 100_000_000_000 }));
    expect({ subtotal: order.subtotalMinor, total: order.totalMinor }).toEqual({ subtotal: 100_000_000_000, total: 100_000_000_000 });
  });

  it('TEN-013 creating an order for a tenant the region has not provisioned answers 503 TENANT_PROVISIONING', async () => {
    const response = await kit.api(randomUUID(), { method: 'POST', url: '/orders', payload: orderBody(randomUUID(), [{ productId: randomUUID() }]) });
    expectError(response, 503, 'TENANT_PROVISIONING');
    expect(response.headers['retry-after']).toBe('2');
  });
});

describe('ORD-008 ORD-009 a store or product deleted while the order is being created', () => {
  it.each([
    { deleted: 'the store', status: 404, code: 'STORE_NOT_FOUND', paths: ['body.storeId'], sql: 'delete from stores where id = $1', target: (s: NewShop) => s.store.id },
    { deleted: 'a product', status: 404, code: 'ORDER_PRODUCT_NOT_FOUND', sql: 'delete from products where id = $1', target: (s: NewShop) => s.products[0]!.id },
  ])('ORD-008 ORD-009 ORD-011 $deleted, deleted after the checks read it, answers $status $code and writes nothing', async ({ status, code, paths, sql, target }) => {
    const created = await shop([{ priceMinor: 100 }]);
    const before = await kit.writes(created.tenant);
    // The deletion holds the row until it commits; the creation's foreign key check waits for it.
    const deletion = await kit.begin(created.tenant);
    await deletion.query(sql, [target(created)]);
    const pending = kit.api(created.tenant, { method: 'POST', url: '/orders', payload: orderBody(created.store.id, [{ productId: created.products[0]!.id }]) });
    await kit.waitForBlockedAppConnections(1);
    await deletion.commit();
    expectError(await pending, status, code, paths);
    expect(await kit.writes(created.tenant)).toEqual(before);
  });
});

describe('ORD-001 order numbers', () => {
  it('ORD-001 numbers each tenant’s orders 1, 2, 3, independently of other tenants', async () => {
    const first = await shop([{ priceMinor: 100 }]);
    const second = await shop([{ priceMinor: 100 }]);
    const numbers = [];
    for (const { tenant, store, products } of [first, second, first, first, second]) {
      numbers.push((await kit.createOrder(tenant, orderBody(store.id, [{ productId: products[0]!.id }]))).number);
    }
    expect(numbers).toEqual([1, 1, 2, 3, 2]);
  });

  it('ORD-001 100 parallel creations over HTTP get exactly the numbers 1–100, one each', async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 100 }]);
    const body = JSON.stringify(orderBody(store.id, [{ productId: products[0]!.id }]));
    const responses = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const response = await fetch(`${kit.keel.url}/api/v1/orders`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(await kit.bearer(tenant)) } });
        return { status: response.status, order: (await response.json()) as { id: string; number: number } };
      }),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(100).fill(201));
    expect(responses.map((response) => response.order.number).toSorted((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect(new Set(responses.map((response) => response.order.id)).size).toBe(100);
    expect(await kit.writes(tenant)).toMatchObject({ orders: 100, lastNumber: 100 });
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input: each case is refused with its code, writes nothing, and the next creation gets the
// next number (ORD-011).

interface Shop {
  tenant: string;
  store: { id: string; name: string };
  /** [0] active at 1,000, [1] active at 2,500, [2] inactive, [3] at 50,000,000,000. */
  products: Product[];
  /** Another tenant's store and (active) product. */
  foreign: { storeId: string; productId: string };
}

interface BadInput {
  mistake: string;
  status: number;
  code: string;
  paths?: string[];
  body: (shop: Shop) => Record<string, unknown>;
}

const valid = (shop: Shop, extra: Record<string, unknown> = {}) => orderBody(shop.store.id, [{ productId: shop.products[0]!.id }], extra);
const withLines = (shop: Shop, lines: unknown[]) => ({ ...valid(shop), lines });
const withCustomer = (shop: Shop, customer: Record<string, unknown>) => ({ ...valid(shop), customer: { name: 'Ada Lovelace', email: 'ada@example.com', ...customer } });
const line = (shop: Shop, quantity: unknown) => ({ productId: shop.products[0]!.id, quantity });

describe('ORD-011 a refused creation writes nothing and consumes no number', () => {
  let badShop: Shop;

  beforeAll(async () => {
    const { tenant, store, products } = await shop([{ priceMinor: 1_000 }, { priceMinor: 2_500 }, { priceMinor: 300, active: false }, { priceMinor: 50_000_000_000 }]);
    const other = await shop([{ priceMinor: 100 }]);
    badShop = { tenant, store, products, foreign: { storeId: other.store.id, productId: other.products[0]!.id } };
    await kit.createOrder(tenant, valid(badShop));
  });

  /** The case is refused as expected, nothing changes, and the next good creation gets the next number. */
  async function expectRefusedWithNothingWritten({ status, code, paths, body }: BadInput) {
    const before = await kit.writes(badShop.tenant);
    expectError(await kit.api(badShop.tenant, { method: 'POST', url: '/orders', payload: body(badShop) }), status, code, paths);
    expect(await kit.writes(badShop.tenant)).toEqual(before);
    expect((await kit.createOrder(badShop.tenant, valid(badShop))).number).toBe(before.lastNumber! + 1);
  }

  it.each<BadInput>([
    { mistake: 'a total', status: 400, code: 'VALIDATION_FAILED', paths: ['body.totalMinor'], body: (s) => valid(s, { totalMinor: 1 }) },
    { mistake: 'a subtotal', status: 400, code: 'VALIDATION_FAILED', paths: ['body.subtotalMinor'], body: (s) => valid(s, { subtotalMinor: 1 }) },
    { mistake: 'a currency', status: 400, code: 'VALIDATION_FAILED', paths: ['body.currency'], body: (s) => valid(s, { currency: 'EUR' }) },
    { mistake: 'a status', status: 400, code: 'VALIDATION_FAILED', paths: ['body.status'], body: (s) => valid(s, { status: 'DELIVERED' }) },
    { mistake: 'a line price', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.0.unitPriceMinor'], body: (s) => withLines(s, [{ ...line(s, 1), unitPriceMinor: 1 }]) },
    { mistake: 'a line total', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.0.lineTotalMinor'], body: (s) => withLines(s, [{ ...line(s, 1), lineTotalMinor: 1 }]) },
    { mistake: 'a field of the customer it does not know', status: 400, code: 'VALIDATION_FAILED', paths: ['body.customer.phone'], body: (s) => withCustomer(s, { phone: '123' }) },
  ])('ORD-002 ORD-011 a client-sent $mistake is an unknown field: $status $code, nothing written', async (bad) => {
    await expectRefusedWithNothingWritten(bad);
  });

  it.each<BadInput>([
    { mistake: 'no lines', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines'], body: (s) => withLines(s, []) },
    { mistake: 'no lines field', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines'], body: (s) => ({ ...valid(s), lines: undefined }) },
    { mistake: '101 lines', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines'], body: (s) => withLines(s, Array.from({ length: 101 }, () => line(s, 1))) },
    { mistake: 'a quantity of 0', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.0.quantity'], body: (s) => withLines(s, [line(s, 0)]) },
    { mistake: 'a negative quantity', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.1.quantity'], body: (s) => withLines(s, [line(s, 1), line(s, -3)]) },
    { mistake: 'a quantity of 10,001', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.0.quantity'], body: (s) => withLines(s, [line(s, 10_001)]) },
    { mistake: 'a fractional quantity', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.0.quantity'], body: (s) => withLines(s, [line(s, 1.5)]) },
    { mistake: 'a quantity that is a string', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.0.quantity'], body: (s) => withLines(s, [line(s, '2')]) },
    { mistake: 'a product id that is not a UUID', status: 400, code: 'VALIDATION_FAILED', paths: ['body.lines.0.productId'], body: (s) => withLines(s, [{ productId: 'p-1', quantity: 1 }]) },
  ])('ORD-007 ORD-011 $mistake: $status $code, nothing written', async (bad) => {
    await expectRefusedWithNothingWritten(bad);
  });

  it.each<BadInput>([
    { mistake: 'an unknown product', status: 404, code: 'ORDER_PRODUCT_NOT_FOUND', paths: ['body.lines.1.productId'], body: (s) => withLines(s, [line(s, 1), { productId: randomUUID(), quantity: 1 }]) },
    { mistake: "another tenant's product", status: 404, code: 'ORDER_PRODUCT_NOT_FOUND', paths: ['body.lines.0.productId'], body: (s) => withLines(s, [{ productId: s.foreign.productId, quantity: 1 }, line(s, 1)]) },
    {
      mistake: 'unknown products on several lines, and an inactive one',
      status: 404,
      code: 'ORDER_PRODUCT_NOT_FOUND',
      paths: ['body.lines.0.productId', 'body.lines.2.productId'],
      body: (s) => withLines(s, [{ productId: randomUUID(), quantity: 1 }, { productId: s.products[2]!.id, quantity: 1 }, { productId: s.foreign.productId, quantity: 1 }]),
    },
    { mistake: 'an inactive product', status: 422, code: 'ORDER_PRODUCT_INACTIVE', paths: ['body.lines.1.productId'], body: (s) => withLines(s, [line(s, 1), { productId: s.products[2]!.id, quantity: 1 }]) },
  ])('ORD-008 ORD-011 $mistake: $status $code naming the lines, nothing written', async (bad) => {
    await expectRefusedWithNothingWritten(bad);
  });

  it.each<BadInput>([
    { mistake: 'an unknown store', status: 404, code: 'STORE_NOT_FOUND', paths: ['body.storeId'], body: (s) => ({ ...valid(s), storeId: randomUUID() }) },
    { mistake: "another tenant's store", status: 404, code: 'STORE_NOT_FOUND', paths: ['body.storeId'], body: (s) => ({ ...valid(s), storeId: s.foreign.storeId }) },
    { mistake: 'a store id that is not a UUID', status: 400, code: 'VALIDATION_FAILED', paths: ['body.storeId'], body: (s) => ({ ...valid(s), storeId: 'main' }) },
  ])('ORD-009 ORD-011 $mistake: $status $code, nothing written', async (bad) => {
    await expectRefusedWithNothingWritten(bad);
  });

  it.each<BadInput>([
    { mistake: 'a negative tax', status: 400, code: 'VALIDATION_FAILED', paths: ['body.taxMinor'], body: (s) => valid(s, { taxMinor: -1 }) },
    { mistake: 'a negative discount', status: 400, code: 'VALIDATION_FAILED', paths: ['body.discountMinor'], body: (s) => valid(s, { discountMinor: -1 }) },
    { mistake: 'a fractional tax', status: 400, code: 'VALIDATION_FAILED', paths: ['body.taxMinor'], body: (s) => valid(s, { taxMinor: 1.5 }) },
    { mistake: 'a tax over 100,000,000,000', status: 400, code: 'VALIDATION_FAILED', paths: ['body.taxMinor'], body: (s) => valid(s, { taxMinor: 100_000_000_001 }) },
    { mistake: 'a discount larger than the subtotal', status: 422, code: 'ORDER_DISCOUNT_EXCEEDS_SUBTOTAL', body: (s) => valid(s, { discountMinor: 1_001 }) },
    {
      mistake: 'a subtotal over 100,000,000,000',
      status: 422,
      code: 'ORDER_AMOUNT_TOO_LARGE',
      body: (s) => withLines(s, [{ productId: s.products[3]!.id, quantity: 2 }, line(s, 1)]),
    },
    { mistake: 'an invalid email', status: 400, code: 'VALIDATION_FAILED', paths: ['body.customer.email'], body: (s) => withCustomer(s, { email: 'ada@' }) },
    { mistake: 'an email of 255 characters', status: 400, code: 'VALIDATION_FAILED', paths: ['body.customer.email'], body: (s) => withCustomer(s, { email: `${'a'.repeat(243)}@example.com` }) },
    { mistake: 'a blank customer name', status: 400, code: 'VALIDATION_FAILED', paths: ['body.customer.name'], body: (s) => withCustomer(s, { name: '   ' }) },
    { mistake: 'a customer name of 201 characters', status: 400, code: 'VALIDATION_FAILED', paths: ['body.customer.name'], body: (s) => withCustomer(s, { name: 'n'.repeat(201) }) },
    { mistake: 'a customer name with a line break', status: 400, code: 'VALIDATION_FAILED', paths: ['body.customer.name'], body: (s) => withCustomer(s, { name: 'Ada\nLovelace' }) },
    { mistake: 'no customer', status: 400, code: 'VALIDATION_FAILED', paths: ['body.customer'], body: (s) => ({ ...valid(s), customer: undefined }) },
  ])('ORD-010 ORD-011 $mistake: $status $code, nothing written', async (bad) => {
    await expectRefusedWithNothingWritten(bad);
  });

  it.each<BadInput>([
    { mistake: 'notes of 2,001 characters', status: 400, code: 'VALIDATION_FAILED', paths: ['body.notes'], body: (s) => valid(s, { notes: 'n'.repeat(2_001) }) },
    { mistake: 'notes with a NUL character', status: 400, code: 'VALIDATION_FAILED', paths: ['body.notes'], body: (s) => valid(s, { notes: 'Ring\u0000twice' }) },
  ])('ORD-021 ORD-011 $mistake at creation: $status $code, nothing written', async (bad) => {
    await expectRefusedWithNothingWritten(bad);
  });
});

// ---------------------------------------------------------------------------------------------

type NewShop = Awaited<ReturnType<typeof shop>>;

/** A provisioned tenant with a store and the products. */
async function shop(seeds: Parameters<OrdersKit['insertProducts']>[1]) {
  const tenant = await kit.newTenant();
  const store = await kit.createStore(tenant);
  const products = await kit.insertProducts(tenant, seeds);
  return { tenant, store, products };
}
