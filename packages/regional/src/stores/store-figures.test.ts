import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';

/**
 * The figures of the store list and a store's read (specs/stores.md STO-006 … STO-014). Orders are
 * seeded with SQL as the regional owner, under the tenant's row-level security; "now" is the test
 * clock, which some tests set.
 */

let keel: TestKeel;
let owner: pg.Client;

beforeAll(async () => {
  keel = await startTestKeel();
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
});

afterAll(async () => {
  await owner?.end();
  await keel?.stop();
});

describe('STO-006 every listed and read store carries its figures', () => {
  it('STO-006 a store without reviews or orders has 0 reviews, no average rating, 0 open orders, 0 revenue, in the tenant currency', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant);
    const expected = { ...store, reviewCount: 0, averageRating: null, openOrders: 0, revenueThisMonthMinor: 0, currency: 'USD' };
    expect(await listed(tenant)).toEqual([expected]);
    expect(await read(tenant, store.id)).toEqual(expected);
  });

  it("STO-006 the list and the read show the same figures, in the tenant's currency; creating and renaming answer without figures", async () => {
    const tenant = await newTenant();
    await updateTenant(tenant, { currency: 'JPY' });
    const store = await createStore(tenant);
    expect(Object.keys(store).toSorted()).toEqual(['createdAt', 'id', 'name', 'updatedAt', 'version']);
    await seedReviews(tenant, store.id, [4, 5]);
    await seedOrders(tenant, store.id, [{ status: 'PENDING', totalMinor: 1200 }]);
    const renamed = expectOk(await api(tenant, { method: 'PATCH', url: `/stores/${store.id}`, payload: { name: 'Renamed', version: 1 } })).json<Store>();
    expect(Object.keys(renamed).toSorted()).toEqual(Object.keys(store).toSorted());
    const expected = { ...renamed, reviewCount: 2, averageRating: 4.5, openOrders: 1, revenueThisMonthMinor: 1200, currency: 'JPY' };
    expect(await listed(tenant)).toEqual([expected]);
    expect(await read(tenant, store.id)).toEqual(expected);
  });
});

describe('STO-007 the average rating', () => {
  it.each([
    { ratings: '5', given: [5], average: 5 },
    { ratings: '1 and 2', given: [1, 2], average: 1.5 },
    { ratings: '1, 2 and 2 (5/3)', given: [1, 2, 2], average: 1.67 },
    { ratings: '1, 1 and 2 (4/3)', given: [1, 1, 2], average: 1.33 },
    { ratings: '4, 4 and 5', given: [4, 4, 5], average: 4.33 },
    { ratings: '199 × 1 and one 2 (exactly 1.005)', given: [...repeat(1, 199), 2], average: 1.01 },
    { ratings: '199 × 5 and one 4 (exactly 4.995)', given: [...repeat(5, 199), 4], average: 5 },
    { ratings: '1 and 199 × 2 (exactly 1.995)', given: [1, ...repeat(2, 199)], average: 2 },
  ])('STO-007 ratings $ratings average $average, rounded to 2 decimals with halves away from zero', async ({ given, average }) => {
    const tenant = await newTenant();
    const store = await createStore(tenant);
    await seedReviews(tenant, store.id, given);
    expect(await read(tenant, store.id)).toMatchObject({ reviewCount: given.length, averageRating: average });
  });

  it('STO-007 the average is null again once the last review is deleted', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant);
    const review = expectOk(await api(tenant, { method: 'POST', url: `/stores/${store.id}/reviews`, payload: { rating: 3, body: 'Fine.', authorName: 'Lin' } })).json<{ id: string }>();
    expect(await read(tenant, store.id)).toMatchObject({ reviewCount: 1, averageRating: 3 });
    expectOk(await api(tenant, { method: 'DELETE', url: `/stores/${store.id}/reviews/${review.id}` }));
    expect(await read(tenant, store.id)).toMatchObject({ reviewCount: 0, averageRating: null });
  });
});

/** Each status, whether the spec counts it as open (STO-008) and as revenue (STO-009). */
const STATUSES = [
  { status: 'PENDING', open: true, revenue: true },
  { status: 'CONFIRMED', open: true, revenue: true },
  { status: 'PACKED', open: true, revenue: true },
  { status: 'SHIPPED', open: true, revenue: true },
  { status: 'DELIVERED', open: false, revenue: true },
  { status: 'RETURN_REQUESTED', open: false, revenue: true },
  { status: 'CANCELLED', open: false, revenue: false },
  { status: 'RETURNED', open: false, revenue: false },
];

describe('STO-008 STO-009 open orders and revenue by status', () => {
  it.each(STATUSES)('STO-008 STO-009 two orders $status this month: open $open, revenue $revenue (the sum of their totals after discount and tax)', async ({ status, open, revenue }) => {
    const tenant = await newTenant();
    const store = await createStore(tenant);
    // seeded with subtotal = total + 100, discount 150 and tax 50: a sum of subtotals would show
    await seedOrders(tenant, store.id, [
      { status, totalMinor: 1250 },
      { status, totalMinor: 99_999 },
    ]);
    expect(await read(tenant, store.id)).toMatchObject({ openOrders: open ? 2 : 0, revenueThisMonthMinor: revenue ? 101_249 : 0 });
  });

  it('STO-008 an open order counts whatever its age; STO-009 only this month counts as revenue', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant);
    await seedOrders(tenant, store.id, [
      { status: 'PENDING', totalMinor: 500, createdAt: new Date('2020-02-03T10:00:00.000Z') },
      { status: 'SHIPPED', totalMinor: 700, createdAt: monthsBefore(keel.clock.now(), 14) },
      { status: 'DELIVERED', totalMinor: 900 },
    ]);
    expect(await read(tenant, store.id)).toMatchObject({ openOrders: 2, revenueThisMonthMinor: 900 });
  });
});

describe("STO-010 this month is the calendar month of the clock's now in the tenant's time zone", () => {
  it.each([
    { zone: 'Asia/Tokyo', month: 'December 2026', start: '2026-11-30T15:00:00.000Z', next: '2026-12-31T15:00:00.000Z' },
    { zone: 'Asia/Kolkata', month: 'January 2027', start: '2026-12-31T18:30:00.000Z', next: '2027-01-31T18:30:00.000Z' },
    { zone: 'America/New_York', month: 'March 2027 (EST to EDT)', start: '2027-03-01T05:00:00.000Z', next: '2027-04-01T04:00:00.000Z' },
    { zone: 'Pacific/Auckland', month: 'April 2027 (NZDT to NZST)', start: '2027-03-31T11:00:00.000Z', next: '2027-04-30T12:00:00.000Z' },
  ])('STO-010 $zone, $month: from local midnight of the 1st (included) to the next 1st (excluded)', async ({ zone, start, next }) => {
    const tenant = await newTenant();
    await updateTenant(tenant, { timezone: zone });
    const store = await createStore(tenant);
    const [monthStart, nextMonthStart] = [new Date(start), new Date(next)];
    await seedOrders(tenant, store.id, [
      { status: 'DELIVERED', totalMinor: 1_000, createdAt: millisecondsAfter(monthStart, -1) },
      { status: 'PENDING', totalMinor: 200, createdAt: monthStart },
      { status: 'CONFIRMED', totalMinor: 60, createdAt: millisecondsAfter(nextMonthStart, -1) },
      { status: 'SHIPPED', totalMinor: 4_000, createdAt: nextMonthStart },
    ]);
    const revenueAt = async (now: Date) => {
      keel.clock.set(now);
      return (await read(tenant, store.id)).revenueThisMonthMinor;
    };
    expect(await revenueAt(millisecondsAfter(monthStart, -1))).toBe(1_000);
    expect(await revenueAt(monthStart)).toBe(260);
    expect(await revenueAt(millisecondsAfter(nextMonthStart, -1))).toBe(260);
    expect(await revenueAt(nextMonthStart)).toBe(4_000);
  });

  it("STO-010 the month follows the tenant's time zone as the tenant row says at the request", async () => {
    keel.clock.set(new Date('2026-12-10T12:00:00.000Z'));
    const tenant = await newTenant();
    const store = await createStore(tenant);
    // 30 November 20:00 UTC: 15:00 on the 30th in New York, 05:00 on 1 December in Tokyo
    await seedOrders(tenant, store.id, [{ status: 'PENDING', totalMinor: 750, createdAt: new Date('2026-11-30T20:00:00.000Z') }]);
    expect((await read(tenant, store.id)).revenueThisMonthMinor).toBe(0);
    await updateTenant(tenant, { timezone: 'Asia/Tokyo' });
    expect((await read(tenant, store.id)).revenueThisMonthMinor).toBe(750);
    expect((await listed(tenant))[0]!.revenueThisMonthMinor).toBe(750);
  });
});

describe("STO-011 a store's figures count only its own reviews and orders", () => {
  it("STO-011 another store's and another tenant's reviews and orders never count", async () => {
    const [tenantA, tenantB] = [await newTenant(), await newTenant()];
    const [first, second] = [await createStore(tenantA), await createStore(tenantA)];
    const foreign = await createStore(tenantB);
    await seedReviews(tenantA, first.id, [2]);
    await seedOrders(tenantA, first.id, [{ status: 'PACKED', totalMinor: 300 }]);
    await seedReviews(tenantA, second.id, [5, 5, 4]);
    await seedOrders(tenantA, second.id, [
      { status: 'PENDING', totalMinor: 80 },
      { status: 'DELIVERED', totalMinor: 90 },
    ]);
    await seedReviews(tenantB, foreign.id, [1, 1, 1, 1]);
    await seedOrders(tenantB, foreign.id, repeat({ status: 'CONFIRMED', totalMinor: 5_000 }, 3));
    const figures = (store: StoreWithFigures) => ({ id: store.id, reviewCount: store.reviewCount, averageRating: store.averageRating, openOrders: store.openOrders, revenueThisMonthMinor: store.revenueThisMonthMinor });
    expect((await listed(tenantA)).map(figures)).toEqual([
      { id: first.id, reviewCount: 1, averageRating: 2, openOrders: 1, revenueThisMonthMinor: 300 },
      { id: second.id, reviewCount: 3, averageRating: 4.67, openOrders: 1, revenueThisMonthMinor: 170 },
    ]);
    expect((await listed(tenantB)).map(figures)).toEqual([{ id: foreign.id, reviewCount: 4, averageRating: 1, openOrders: 3, revenueThisMonthMinor: 15_000 }]);
  });
});

describe('STO-012 the figures are read fresh', () => {
  it('STO-012 a review recorded or deleted and an order changing status show in the next read', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant);
    const [order] = await seedOrders(tenant, store.id, [{ status: 'PACKED', totalMinor: 640 }]);
    expect(await read(tenant, store.id)).toMatchObject({ reviewCount: 0, openOrders: 1, revenueThisMonthMinor: 640 });
    const review = expectOk(await api(tenant, { method: 'POST', url: `/stores/${store.id}/reviews`, payload: { rating: 5, body: 'Great.', authorName: 'Bo' } })).json<{ id: string }>();
    expect(await read(tenant, store.id)).toMatchObject({ reviewCount: 1, averageRating: 5 });
    await setOrderStatus(tenant, order!, 'DELIVERED');
    expect(await read(tenant, store.id)).toMatchObject({ openOrders: 0, revenueThisMonthMinor: 640 });
    await setOrderStatus(tenant, order!, 'RETURNED');
    expect(await read(tenant, store.id)).toMatchObject({ openOrders: 0, revenueThisMonthMinor: 0 });
    expectOk(await api(tenant, { method: 'DELETE', url: `/stores/${store.id}/reviews/${review.id}` }));
    expect((await listed(tenant))[0]).toMatchObject({ reviewCount: 0, averageRating: null, openOrders: 0, revenueThisMonthMinor: 0 });
  });
});

describe('STO-013 STO-014 the figures cost no statement per store, review or order', () => {
  let few: string;
  let many: string;
  let busyStore: string;
  let quietStore: string;

  beforeAll(async () => {
    [few, many] = [await newTenant(), await newTenant()];
    await seedStores(few, 5);
    await seedStores(many, 500);
    // every store of `many` has a review and an order; its first store has 500 of each
    await seedOnEveryStore(many);
    busyStore = (await listed(many, 'limit=1'))[0]!.id;
    await seedReviews(many, busyStore, repeat(4, 500));
    await seedOrders(many, busyStore, repeat({ status: 'PENDING', totalMinor: 100 }, 500));
    quietStore = (await listed(few, 'limit=1'))[0]!.id;
  });

  it.each(['', '?limit=200', '?limit=3'])(
    'STO-013 GET /stores%s answers the same x-query-count for 5 stores without rows as for 500 stores with reviews and orders: one statement for the page',
    async (query) => {
      const [small, large] = [await api(few, { method: 'GET', url: `/stores${query}` }), await api(many, { method: 'GET', url: `/stores${query}` })];
      expect(expectOk(large).json<Page>().items[0]).toMatchObject({ id: busyStore, reviewCount: 501, openOrders: 500, revenueThisMonthMinor: 100 * 500 + 1_000 });
      expectOk(small);
      // the token's revocation check, then begin, set_config, the page with its figures, commit
      expect([small.headers['x-query-count'], large.headers['x-query-count']]).toEqual(['5', '5']);
    },
  );

  it('STO-014 GET /stores/:storeId answers the same x-query-count for a store with 500 reviews and orders as for one with none: one statement', async () => {
    const [quiet, busy] = [await api(few, { method: 'GET', url: `/stores/${quietStore}` }), await api(many, { method: 'GET', url: `/stores/${busyStore}` })];
    expect(expectOk(busy).json()).toMatchObject({ reviewCount: 501, openOrders: 500 });
    expect(expectOk(quiet).json()).toMatchObject({ reviewCount: 0, openOrders: 0 });
    expect([quiet.headers['x-query-count'], busy.headers['x-query-count']]).toEqual(['5', '5']);
  });
});

// ---------------------------------------------------------------------------------------------

interface Store {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface StoreWithFigures extends Store {
  reviewCount: number;
  averageRating: number | null;
  openOrders: number;
  revenueThisMonthMinor: number;
  currency: string;
}

interface Page {
  items: StoreWithFigures[];
  nextCursor: string | null;
}

interface SeededOrder {
  status: string;
  totalMinor: number;
  /** The clock's now unless given. */
  createdAt?: Date;
}

/** A provisioned tenant of the region (currency USD, time zone America/New_York). */
async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

/** A request to `/api/v1` with a fresh admin token of the tenant. */
async function api(tenantId: string, request: InjectOptions): Promise<LightMyRequestResponse> {
  return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers: await keel.authorization(tenantId, { role: 'admin' }) });
}

async function createStore(tenantId: string): Promise<Store> {
  return expectOk(await api(tenantId, { method: 'POST', url: '/stores', payload: { name: `Store ${randomUUID()}` } })).json<Store>();
}

async function listed(tenantId: string, query = 'limit=200'): Promise<StoreWithFigures[]> {
  return expectOk(await api(tenantId, { method: 'GET', url: `/stores?${query}` })).json<Page>().items;
}

async function read(tenantId: string, storeId: string): Promise<StoreWithFigures> {
  return expectOk(await api(tenantId, { method: 'GET', url: `/stores/${storeId}` })).json<StoreWithFigures>();
}

/** Runs SQL as the regional owner with the tenant set, and commits. */
function asOwner<T>(tenantId: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return asTenant(owner, tenantId, work, 'commit');
}

/** Changes the region's copy of the tenant, as a `tenant.created` with other settings would have. */
async function updateTenant(tenantId: string, settings: { currency?: string; timezone?: string }): Promise<void> {
  await asOwner(tenantId, (client) =>
    client.query('update tenants set currency = coalesce($2, currency), timezone = coalesce($3, timezone) where tenant_id = $1', [tenantId, settings.currency ?? null, settings.timezone ?? null]),
  );
}

async function seedStores(tenantId: string, count: number): Promise<void> {
  await asOwner(tenantId, (client) => client.query(`insert into stores (tenant_id, name) select $1, 'Seeded store ' || n from generate_series(1, $2::int) as n`, [tenantId, count]));
}

async function seedReviews(tenantId: string, storeId: string, ratings: number[]): Promise<void> {
  await asOwner(tenantId, (client) =>
    client.query(`insert into reviews (tenant_id, store_id, rating, body, author_name) select $1, $2, rating, 'Seeded review', 'Seeder' from unnest($3::int[]) as rating`, [tenantId, storeId, ratings]),
  );
}

/**
 * Orders on the store in one statement, numbered after the tenant's last; subtotal = total + 100,
 * discount 150, tax 50 (so total = subtotal − discount + tax ≠ subtotal). Returns their ids.
 */
async function seedOrders(tenantId: string, storeId: string, orders: SeededOrder[]): Promise<string[]> {
  const now = keel.clock.now();
  const { rows } = await asOwner(tenantId, (client) =>
    client.query<{ id: string }>(
      `insert into orders (tenant_id, number, store_id, customer_name, customer_email, status, currency, subtotal_minor, discount_minor, tax_minor, total_minor, line_count, created_by, created_at, updated_at)
       select $1, (select coalesce(max(number), 0) from orders where tenant_id = $1) + o.n, $2, 'Customer', 'customer@example.com', o.status,
              (select currency from tenants where tenant_id = $1), o.total + 100, 150, 50, o.total, 1, 'seed', o.created_at, o.created_at
       from unnest($3::text[], $4::bigint[], $5::timestamptz[]) with ordinality as o(status, total, created_at, n)
       order by o.n
       returning id`,
      [tenantId, storeId, orders.map((order) => order.status), orders.map((order) => order.totalMinor), orders.map((order) => (order.createdAt ?? now).toISOString())],
    ),
  );
  return rows.map((row) => row.id);
}

/** One review (rating 3) and one DELIVERED order of 1000 this month on every store of the tenant. */
async function seedOnEveryStore(tenantId: string): Promise<void> {
  await asOwner(tenantId, async (client) => {
    await client.query(`insert into reviews (tenant_id, store_id, rating, body, author_name) select tenant_id, id, 3, 'Seeded review', 'Seeder' from stores where tenant_id = $1`, [tenantId]);
    await client.query(
      `insert into orders (tenant_id, number, store_id, customer_name, customer_email, status, currency, subtotal_minor, discount_minor, tax_minor, total_minor, line_count, created_by, created_at)
       select tenant_id, row_number() over (order by id), id, 'Customer', 'customer@example.com', 'DELIVERED', 'USD', 1000, 0, 0, 1000, 1, 'seed', $2 from stores where tenant_id = $1`,
      [tenantId, keel.clock.now().toISOString()],
    );
  });
}

async function setOrderStatus(tenantId: string, orderId: string, status: string): Promise<void> {
  await asOwner(tenantId, (client) => client.query('update orders set status = $2, version = version + 1 where tenant_id = $1 and id = $3', [tenantId, status, orderId]));
}

function repeat<T>(value: T, times: number): T[] {
  return Array.from({ length: times }, () => value);
}

function millisecondsAfter(instant: Date, milliseconds: number): Date {
  return new Date(instant.getTime() + milliseconds);
}

function monthsBefore(instant: Date, months: number): Date {
  const earlier = new Date(instant);
  earlier.setUTCMonth(earlier.getUTCMonth() - months);
  return earlier;
}

function expectOk(response: LightMyRequestResponse): LightMyRequestResponse {
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(200);
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response;
}
