import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startPlansKit, type PlansKit } from './test/plans-kit.ts';

/**
 * The region refuses creations beyond the plan it keeps (402 PLAN_LIMIT_REACHED), writes nothing
 * when it does, holds limits under concurrency and keeps what is already over a limit.
 */
let kit: PlansKit;

beforeAll(async () => {
  kit = await startPlansKit();
});

afterAll(async () => {
  await kit?.stop();
});

const STORES_LIMIT = [{ path: 'limit.stores', rule: 'plan_limit' }];
const ORDERS_LIMIT = [{ path: 'limit.ordersPerMonth', rule: 'plan_limit' }];

describe("SUB-032 the plan's stores", () => {
  it('SUB-032 a store beyond the limit answers 402 PLAN_LIMIT_REACHED naming limit.stores and writes nothing: no store, no event, no usage', async () => {
    const tenant = await kit.newTenant({ plan: 'free', limits: { stores: 2 } });
    for (const name of ['North', 'South']) expect((await kit.createStore(tenant, name)).statusCode).toBe(201);
    const before = await writes(tenant);

    expectError(await kit.createStore(tenant, 'East'), 402, 'PLAN_LIMIT_REACHED', STORES_LIMIT);
    expect(await writes(tenant)).toEqual(before);
    expect(before).toMatchObject({ stores: 2, events: 2, usage: 4 });
  });

  it('SUB-032 the limit counts the stores the tenant has: deleting one makes room for another', async () => {
    const tenant = await kit.newTenant({ limits: { stores: 1 } });
    const store = (await kit.createStore(tenant, 'First')).json<{ id: string; version: number }>();
    expectError(await kit.createStore(tenant, 'Second'), 402, 'PLAN_LIMIT_REACHED', STORES_LIMIT);
    expect((await kit.api(tenant, { method: 'DELETE', url: `/stores/${store.id}?version=${store.version}` })).statusCode).toBe(204);
    expect((await kit.createStore(tenant, 'Second')).statusCode).toBe(201);
  });

  it('SUB-032 a null stores limit never refuses', async () => {
    const tenant = await kit.newTenant({ plan: 'platinum', limits: { stores: null } });
    const statuses = [];
    for (const name of ['A', 'B', 'C', 'D']) statuses.push((await kit.createStore(tenant, name)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 201]);
  });
});

describe("SUB-033 the plan's orders per month", () => {
  it('SUB-033 an order beyond the month\'s limit answers 402 PLAN_LIMIT_REACHED naming limit.ordersPerMonth and writes nothing, its number included', async () => {
    const tenant = await kit.newTenant({ plan: 'free', limits: { ordersPerMonth: 2 } });
    const { body } = await kit.orderFixtures(tenant);
    for (let order = 0; order < 2; order += 1) expect((await createOrder(tenant, body)).statusCode).toBe(201);
    const before = await writes(tenant);

    expectError(await createOrder(tenant, body), 402, 'PLAN_LIMIT_REACHED', ORDERS_LIMIT);
    expect(await writes(tenant)).toEqual(before);

    await kit.publishPlan(tenant, { plan: 'pro', limits: { ordersPerMonth: 3 }, revision: 2 });
    expect((await createOrder(tenant, body)).json()).toMatchObject({ number: 3 });
  });

  it("SUB-033 the month is the region clock's in the tenant's time zone: the orders of the month before no longer count from its first local midnight", async () => {
    const tenant = await kit.newTenant({ limits: { ordersPerMonth: 1 } });
    const { body } = await kit.orderFixtures(tenant);
    expect((await createOrder(tenant, body)).statusCode).toBe(201);
    const nextMonth = await nextLocalMonthStart(tenant);
    const start = kit.keel.clock.now();
    try {
      kit.keel.clock.set(new Date(nextMonth.getTime() - 1));
      expectError(await createOrder(tenant, body), 402, 'PLAN_LIMIT_REACHED', ORDERS_LIMIT);
      kit.keel.clock.set(nextMonth);
      expect((await createOrder(tenant, body)).statusCode).toBe(201);
    } finally {
      kit.keel.clock.set(start);
    }
  });

  it('SUB-033 ORD-014 a retry with the Idempotency-Key of an order already created answers that order at the limit', async () => {
    const tenant = await kit.newTenant({ limits: { ordersPerMonth: 1 } });
    const { body } = await kit.orderFixtures(tenant);
    const headers = { 'idempotency-key': 'checkout-1' };
    const first = await createOrder(tenant, body, headers);
    const retry = await createOrder(tenant, body, headers);

    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    expectError(await createOrder(tenant, body, { 'idempotency-key': 'checkout-2' }), 402, 'PLAN_LIMIT_REACHED', ORDERS_LIMIT);
  });

  it('SUB-033 a null ordersPerMonth never refuses', async () => {
    const tenant = await kit.newTenant({ limits: { ordersPerMonth: null } });
    const { body } = await kit.orderFixtures(tenant);
    const statuses = [];
    for (let order = 0; order < 4; order += 1) statuses.push((await createOrder(tenant, body)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 201]);
  });
});

describe('SUB-034 limits under concurrency', () => {
  const RACERS = 8;
  const LIMIT = 3;

  it.each([
    { what: 'stores', limits: { stores: LIMIT }, prepare: async (tenant: string) => (index: number) => kit.createStore(tenant, `Racer ${index}`) },
    {
      what: 'orders',
      limits: { ordersPerMonth: LIMIT },
      prepare: async (tenant: string) => {
        const { body } = await kit.orderFixtures(tenant);
        return () => createOrder(tenant, body);
      },
    },
  ])(`SUB-034 ${RACERS} $what created at once for ${LIMIT} places: exactly ${LIMIT} succeed, the others answer 402, and the tenant has ${LIMIT}`, async ({ what, limits, prepare }) => {
    const tenant = await kit.newTenant({ limits });
    const create = await prepare(tenant);

    const responses = await Promise.all(Array.from({ length: RACERS }, (_, index) => create(index)));

    expect(responses.map((response) => response.statusCode).toSorted()).toEqual([...Array<number>(LIMIT).fill(201), ...Array<number>(RACERS - LIMIT).fill(402)]);
    expect((await kit.sql<{ count: number }>(tenant, `select count(*)::int as count from ${what}`))[0]!.count).toBe(LIMIT);
  });
});

describe('SUB-036 rows beyond a limit after a downgrade', () => {
  it('SUB-036 are kept, listed, read and changed; only new stores and orders are refused', async () => {
    const tenant = await kit.newTenant({ plan: 'platinum' });
    const stores = [];
    for (const name of ['Harbour', 'Market', 'Station']) stores.push((await kit.createStore(tenant, name)).json<{ id: string; version: number }>());
    const { body } = await kit.orderFixtures(tenant);
    const orders = [(await createOrder(tenant, body)).json<{ id: string; version: number }>(), (await createOrder(tenant, body)).json<{ id: string; version: number }>()];

    await kit.publishPlan(tenant, { plan: 'free', limits: { stores: 1, ordersPerMonth: 1 }, revision: 2 });

    expect((await kit.api(tenant, { method: 'GET', url: '/stores' })).json<{ items: unknown[] }>().items).toHaveLength(4);
    expect((await kit.api(tenant, { method: 'GET', url: '/orders' })).json<{ items: unknown[] }>().items).toHaveLength(2);
    const renamed = await kit.api(tenant, { method: 'PATCH', url: `/stores/${stores[0]!.id}`, payload: { name: 'Harbour Front', version: stores[0]!.version } });
    expect(renamed.statusCode).toBe(200);
    const confirmed = await kit.api(tenant, { method: 'POST', url: `/orders/${orders[0]!.id}/status`, payload: { status: 'CONFIRMED', version: orders[0]!.version } });
    expect(confirmed.statusCode).toBe(200);
    expectError(await kit.createStore(tenant, 'Airport'), 402, 'PLAN_LIMIT_REACHED', STORES_LIMIT);
    expectError(await createOrder(tenant, body), 402, 'PLAN_LIMIT_REACHED', ORDERS_LIMIT);
  });
});

// ---------------------------------------------------------------------------------------------

function createOrder(tenant: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return kit.api(tenant, { method: 'POST', url: '/orders', payload: body, headers }, 'member');
}

/** Everything a creation writes, for one tenant: its rows, events, last order number and metered usage. */
async function writes(tenant: string) {
  const [row] = await kit.sql<Record<string, number>>(
    tenant,
    `select (select count(*)::int from stores) as stores,
            (select count(*)::int from orders) as orders,
            (select count(*)::int from outbox) as events,
            (select coalesce(max(last_number), 0)::int from order_numbers) as "lastNumber",
            (select coalesce(sum(value), 0)::int from usage_by_day) as usage`,
  );
  return row!;
}

/** The first local midnight of the next month in the tenant's time zone, after the database's now. */
async function nextLocalMonthStart(tenant: string): Promise<Date> {
  const [row] = await kit.sql<{ next: Date }>(
    tenant,
    `select (date_trunc('month', now() at time zone timezone) + interval '1 month') at time zone timezone as next from tenants`,
  );
  return row!.next;
}
