import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTenant } from '../../../../test/support/tenant-sql.ts';
import { expectError, startPlansKit, UNLIMITED, type PlansKit } from './test/plans-kit.ts';

/** What the region meters per tenant and day, and what the owner reads of it against the plan's limits. */
let kit: PlansKit;

beforeAll(async () => {
  kit = await startPlansKit();
});

afterAll(async () => {
  await kit?.stop();
});

const PRO = { plan: 'pro', limits: { stores: 10, members: 25, ordersPerMonth: 10_000, importRowsPerMonth: 100_000, webhookEndpoints: 10, apiKeys: 10 } } as const;

describe('SUB-038 usage metered in the transaction of its effect', () => {
  it("SUB-038 a store, an order and a product count on the tenant's local date: stores.created, orders.created, and each event appended as queue.messages", async () => {
    const tenant = await kit.newTenant(PRO);
    expect((await kit.createStore(tenant, 'Metered')).statusCode).toBe(201);
    const { body } = await kit.orderFixtures(tenant);
    expect((await kit.api(tenant, { method: 'POST', url: '/orders', payload: body }, 'member')).statusCode).toBe(201);
    expect((await kit.api(tenant, { method: 'POST', url: '/products', payload: { sku: 'MTR-1', name: 'Meter', priceMinor: 500 } })).statusCode).toBe(201);

    expect(await kit.usage(tenant)).toEqual({ 'stores.created': 1, 'orders.created': 1, 'queue.messages': 3 });
    const days = await kit.sql<{ day: string; today: string }>(tenant, `select distinct day::text as day, (now() at time zone 'Europe/Madrid')::date::text as today from usage_by_day`);
    expect(days).toEqual([{ day: days[0]!.today, today: days[0]!.today }]);
  });

  it('SUB-038 refused and rolled-back creations count nothing', async () => {
    const tenant = await kit.newTenant({ limits: { stores: 3, ordersPerMonth: 0 } });
    const { body } = await kit.orderFixtures(tenant);
    expect((await kit.createStore(tenant, 'Only')).statusCode).toBe(201);
    const before = await kit.usage(tenant);

    expectError(await kit.createStore(tenant, 'only'), 409, 'STORE_NAME_TAKEN');
    expectError(await kit.api(tenant, { method: 'POST', url: '/orders', payload: body }), 402, 'PLAN_LIMIT_REACHED');
    // The fixtures' product has a SKU of its own; a second product with it is refused by its unique index, after the insert.
    const [product] = await kit.sql<{ sku: string }>(tenant, 'select sku from products');
    expectError(await kit.api(tenant, { method: 'POST', url: '/products', payload: { sku: product!.sku, name: 'Twin', priceMinor: 100 } }), 409, 'PRODUCT_SKU_TAKEN');
    expect(await kit.usage(tenant)).toEqual(before);
    expect(before).toEqual({ 'stores.created': 1, 'queue.messages': 1 });
  });
  it("SUB-038 metered transactions of one tenant never wait for each other's commit: each database session counts in its own shard", async () => {
    const tenant = await kit.newTenant(PRO);
    const sessions = await sessionsOfDistinctShards(2);
    const appendEvent = (client: pg.Client) => client.query(`insert into outbox (tenant_id, event_id, type, payload) values ($1, gen_random_uuid(), 'test.metered', '{}')`, [tenant]);
    try {
      const [first, second] = sessions as [pg.Client, pg.Client];
      await first.query('begin');
      await first.query(`select set_config('app.tenant_id', $1, true)`, [tenant]);
      await appendEvent(first);
      // The first transaction holds its counter row until it commits; the second must not need it.
      await asTenant(second, tenant, async (client) => {
        await client.query(`set local lock_timeout = '200ms'`);
        await appendEvent(client);
      }, 'commit');
      await first.query('commit');
      expect((await kit.usage(tenant))['queue.messages']).toBe(2);
    } finally {
      await Promise.all(sessions.map((session) => session.end()));
    }
  });
});

describe('SUB-038 during a rolling deploy', () => {
  it("SUB-038 the previous version's unsharded counter (usage_daily, its upsert unchanged) still takes counts, and every reader adds them in", async () => {
    const tenant = await kit.newTenant(PRO);
    expect((await kit.createStore(tenant, 'New version')).statusCode).toBe(201);
    // The statement the previous version's recordUsage runs.
    await kit.sql(tenant, `insert into usage_daily (tenant_id, day, metric, value)
      select tenant_id, (now() at time zone timezone)::date, 'stores.created', 1 from tenants where tenant_id = $1
      on conflict (tenant_id, day, metric) do update set value = usage_daily.value + excluded.value`, [tenant]);
    const response = await kit.api(tenant, { method: 'GET', url: '/usage' });
    expect(response.json()).toMatchObject({ today: { 'stores.created': 2 } });
  });
});

/** App-role sessions whose `pg_backend_pid() % 64` (their metering shard) differ. */
async function sessionsOfDistinctShards(count: number): Promise<pg.Client[]> {
  const kept = new Map<number, pg.Client>();
  const spare: pg.Client[] = [];
  while (kept.size < count) {
    const client = new pg.Client({ connectionString: kit.keel.databases.regional.app });
    await client.connect();
    const { rows } = await client.query<{ shard: number }>('select pg_backend_pid() % 64 as shard');
    if (kept.has(rows[0]!.shard)) spare.push(client);
    else kept.set(rows[0]!.shard, client);
  }
  await Promise.all(spare.map((client) => client.end()));
  return [...kept.values()];
}

describe('SUB-039 GET /api/v1/usage', () => {
  it("SUB-039 answers the owner the plan the region enforces, the figures its limits count and today's usage, every metric", async () => {
    const tenant = await kit.newTenant(PRO);
    expect((await kit.createStore(tenant, 'Counted')).statusCode).toBe(201);
    const { body } = await kit.orderFixtures(tenant);
    for (let order = 0; order < 2; order += 1) expect((await kit.api(tenant, { method: 'POST', url: '/orders', payload: body })).statusCode).toBe(201);
    // Only status changes, of which there are none: nothing is delivered (or metered) to it here.
    const webhook = await kit.api(tenant, { method: 'POST', url: '/webhooks', payload: { url: 'https://hooks.example.com/keel', eventTypes: ['order.status_changed'] } });
    expect(webhook.statusCode).toBe(201);

    const response = await kit.api(tenant, { method: 'GET', url: '/usage' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      plan: 'pro',
      limits: { ...UNLIMITED, ...PRO.limits },
      access: 'active',
      // The order desk of the fixtures is a store too (inserted, not created through the API: not metered).
      usage: { stores: 2, ordersThisMonth: 2, importRowsThisMonth: 0, webhookEndpoints: 1 },
      today: { 'orders.created': 2, 'stores.created': 1, 'queue.messages': 3, 'webhook.deliveries': 0, 'import.rows': 0 },
    });
  });

  it('SUB-039 counts this month by the region clock: next month, no order counts yet and today has no usage', async () => {
    const tenant = await kit.newTenant(PRO);
    const { body } = await kit.orderFixtures(tenant);
    expect((await kit.api(tenant, { method: 'POST', url: '/orders', payload: body })).statusCode).toBe(201);
    const start = kit.keel.clock.now();
    try {
      kit.keel.clock.advance(32 * 24 * 3_600_000);
      const usage = (await kit.api(tenant, { method: 'GET', url: '/usage' })).json<{ usage: { ordersThisMonth: number }; today: Record<string, number> }>();
      expect(usage.usage.ordersThisMonth).toBe(0);
      expect(usage.today).toEqual({ 'orders.created': 0, 'stores.created': 0, 'queue.messages': 0, 'webhook.deliveries': 0, 'import.rows': 0 });
    } finally {
      kit.keel.clock.set(start);
    }
  });

  it.each(['admin', 'member'] as const)('SUB-039 answers a tenant %s 403 FORBIDDEN_ROLE', async (role) => {
    const tenant = await kit.newTenant(PRO);
    expectError(await kit.api(tenant, { method: 'GET', url: '/usage' }, role), 403, 'FORBIDDEN_ROLE');
  });

  it('SUB-039 answers 503 TENANT_PROVISIONING for a tenant without a plan yet', async () => {
    const tenant = await kit.newTenantWithoutPlan();
    expectError(await kit.api(tenant, { method: 'GET', url: '/usage' }), 503, 'TENANT_PROVISIONING');
  });
});
