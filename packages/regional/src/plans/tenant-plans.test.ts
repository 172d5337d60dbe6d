import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRAL_EVENT_TYPES, type TokensRevokedPayload } from '@keel/central/contracts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { expectError, startPlansKit, UNLIMITED, type PlansKit } from './test/plans-kit.ts';

/** The plan the region keeps from central's `tenant.plan_changed`, and what it does without one or once access ended. */
let kit: PlansKit;

beforeAll(async () => {
  kit = await startPlansKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe('SUB-030 the region keeps the plan of the highest revision', () => {
  it('SUB-030 an older revision delivered after a newer one, and another event of the same revision, change nothing', async () => {
    const tenant = await kit.newTenant({ plan: 'free', limits: { stores: 1 } });
    await kit.publishPlan(tenant, { plan: 'pro', limits: { stores: 10 }, revision: 3 });
    await kit.publishPlan(tenant, { plan: 'free', limits: { stores: 1 }, revision: 2 });
    await kit.publishPlan(tenant, { plan: 'platinum', revision: 3 });

    expect(await kit.keptPlan(tenant)).toEqual({ plan: 'pro', limits: { ...UNLIMITED, stores: 10 }, access: 'active', revision: 3 });
    const usage = await kit.api(tenant, { method: 'GET', url: '/usage' });
    expect(usage.json()).toMatchObject({ plan: 'pro', limits: { stores: 10 } });
  });
});

describe('SUB-035 a tenant whose plan the region does not hold yet', () => {
  it('SUB-035 creating a store or an order answers 503 TENANT_PROVISIONING with Retry-After and writes nothing; reads answer', async () => {
    const tenant = await kit.newTenantWithoutPlan();
    const { body } = await kit.orderFixtures(tenant);

    for (const request of [{ method: 'POST', url: '/stores', payload: { name: 'Early' } }, { method: 'POST', url: '/orders', payload: body }] satisfies InjectOptions[]) {
      const response = await kit.api(tenant, request);
      expectError(response, 503, 'TENANT_PROVISIONING');
      expect(response.headers['retry-after']).toBe('2');
    }
    expect((await kit.api(tenant, { method: 'GET', url: '/stores' })).json<{ items: unknown[] }>().items).toHaveLength(1);
    expect(await kit.sql(tenant, 'select id from orders')).toEqual([]);
    expect(await kit.usage(tenant)).toEqual({});

    await kit.publishPlan(tenant, { plan: 'free', limits: { stores: 2 }, revision: 1 });
    expect((await kit.createStore(tenant, 'Now')).statusCode).toBe(201);
  });
});

describe('SUB-037 a tenant whose access ended', () => {
  it('SUB-037 every /api/v1 route answers 402 SUBSCRIPTION_ENDED to every role, after one statement, and reaches no data', async () => {
    const tenant = await kit.newTenant();
    expect((await kit.createStore(tenant, 'Kept')).statusCode).toBe(201);
    await kit.publishPlan(tenant, { plan: 'free', access: 'ended', revision: 2 });
    const usageBefore = await kit.usage(tenant);

    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      for (const role of ['member', 'admin', 'owner'] as const) {
        const response = await kit.api(tenant, requestFor(route), role);
        expectError(response, 402, 'SUBSCRIPTION_ENDED');
        expect(response.headers['x-query-count'], route).toBe('1');
      }
    }
    expect(await kit.sql(tenant, 'select name from stores')).toEqual([{ name: 'Kept' }]);
    expect(await kit.usage(tenant)).toEqual(usageBefore);
  });

  it("SUB-037 a revoked token still answers 401 AUTH_TOKEN_REVOKED", async () => {
    const tenant = await kit.newTenant();
    await kit.publishPlan(tenant, { access: 'ended', revision: 2 });
    const subject = randomUUID();
    const token = await kit.keel.issuer.sign({ tenantId: tenant, userId: subject, role: 'owner' });
    await revoke(tenant, subject);
    await waitUntil(async () => (await storesWith(token)).statusCode === 401);

    expectError(await storesWith(token), 401, 'AUTH_TOKEN_REVOKED');
  });

  it('SUB-037 a later plan with access active restores access to the data as it was', async () => {
    const tenant = await kit.newTenant();
    const store = (await kit.createStore(tenant, 'Back again')).json<{ id: string }>();
    await kit.publishPlan(tenant, { plan: 'free', access: 'ended', revision: 2 });
    expectError(await kit.api(tenant, { method: 'GET', url: `/stores/${store.id}` }), 402, 'SUBSCRIPTION_ENDED');

    await kit.publishPlan(tenant, { plan: 'free', access: 'active', revision: 3 });
    const response = await kit.api(tenant, { method: 'GET', url: `/stores/${store.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: store.id, name: 'Back again' });
  });
});

// ---------------------------------------------------------------------------------------------

const API = '/api/v1';

/** Every `/api/v1` route the app registered, as `METHOD /path` (without the HEAD twin of each GET). */
function apiRoutes(): string[] {
  const routes = kit.keel.app.registeredRoutes.filter((route) => route.url.startsWith(`${API}/`));
  const gets = new Set(routes.filter((route) => route.method === 'GET').map((route) => route.url));
  return routes.filter((route) => !(route.method === 'HEAD' && gets.has(route.url))).map((route) => `${route.method} ${route.url.slice(API.length)}`);
}

/** A request to the route with fresh ids for its parameters; authentication answers before the body is read. */
function requestFor(route: string): InjectOptions {
  const [method, path] = route.split(' ') as [InjectOptions['method'], string];
  return { method, url: path.replaceAll(/:\w+/g, () => randomUUID()), ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) };
}

function storesWith(token: string) {
  return kit.keel.app.inject({ method: 'GET', url: `${API}/stores`, headers: { authorization: `Bearer ${token}` } });
}

/** Central revokes the subject's tokens in the tenant, at the manual clock's now. */
async function revoke(tenantId: string, subject: string): Promise<void> {
  const payload: TokensRevokedPayload = { tenantId, subject, reason: 'member.removed', revokedAt: kit.keel.clock.now().toISOString() };
  await kit.append([{ type: CENTRAL_EVENT_TYPES.tokensRevoked, tenantId, region: 'local', payload }]);
}
