import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const days = await kit.sql<{ day: string; today: string }>(tenant, `select distinct day::text as day, (now() at time zone 'Europe/Madrid')::date::text as today from usage_daily`);
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
});

describe('SUB-039 GET /api/v1/usage', () => {
  it("SUB-039 answers the owner the plan the region enforces, the figures its limits count and today's usage, every metric", async () => {
    const tenant = await kit.newTenant(PRO);
    expect((await kit.createStore(tenant, 'Counted')).statusCode).toBe(201);
    const { body } = await kit.orderFixtures(tenant);
    for (let order = 0; order < 2; order += 1) expect((await kit.api(tenant, { method: 'POST', url: '/orders', payload: body })).statusCode).toBe(201);

    const response = await kit.api(tenant, { method: 'GET', url: '/usage' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      plan: 'pro',
      limits: { ...UNLIMITED, ...PRO.limits },
      access: 'active',
      // The order desk of the fixtures is a store too (inserted, not created through the API: not metered).
      usage: { stores: 2, ordersThisMonth: 2, importRowsThisMonth: 0, webhookEndpoints: 0 },
      today: { 'orders.created': 2, 'stores.created': 1, 'queue.messages': 3 },
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
      expect(usage.today).toEqual({ 'orders.created': 0, 'stores.created': 0, 'queue.messages': 0 });
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
