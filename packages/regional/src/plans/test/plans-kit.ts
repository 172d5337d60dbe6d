import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { appendToFeed, type CentralEvent } from '@keel/central';
import { TENANT_PLAN_CHANGED, type PlanId, type PlanLimits, type TenantPlanChangedPayload } from '@keel/central/contracts';
import { createDatabase, createLogger, createPool, type Database } from '@keel/kernel';
import { tenantCreatedEvent } from '../../../../../test/support/central-feed-probe.ts';
import { startTestKeel, type TestKeel } from '../../../../../test/support/keel.ts';
import { waitUntil } from '../../../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../../../test/support/tenant-sql.ts';

/**
 * What the plan tests share: Keel composed in-process, tenants provisioned and given plans the way
 * central does it — `tenant.created` and `tenant.plan_changed` appended to central's feed, which the
 * region pulls — and SQL as the regional owner with the tenant set. Tenants are in Europe/Madrid
 * (the feed probe's `tenant.created`). Tokens come from the test issuer, on the keel's manual clock.
 */

export type Role = 'member' | 'admin' | 'owner';

export const UNLIMITED: PlanLimits = { stores: null, members: null, ordersPerMonth: null, importRowsPerMonth: null, webhookEndpoints: null, apiKeys: null };

/** A plan as central publishes it: any plan id with any limits (unnamed limits are unlimited). */
export interface PlanSeed {
  plan?: PlanId;
  limits?: Partial<PlanLimits>;
  access?: 'active' | 'ended';
  revision: number;
}

export interface PlansKit {
  keel: TestKeel;
  /** A tenant the region provisioned from the feed, with the plan of revision 1 applied (unlimited unless told). */
  newTenant(plan?: Omit<PlanSeed, 'revision'>): Promise<string>;
  /** A tenant the region provisioned from the feed, with no plan published yet. */
  newTenantWithoutPlan(): Promise<string>;
  /** Appends events to central's feed, as central's endpoints do. */
  append(events: CentralEvent[]): Promise<void>;
  /** Appends `tenant.plan_changed` to central's feed and waits until the region has applied it (its ledger row). */
  publishPlan(tenantId: string, plan: PlanSeed): Promise<void>;
  /** A request to `/api/v1` with a fresh token of the tenant (an owner unless told). */
  api(tenantId: string, request: InjectOptions, role?: Role): Promise<LightMyRequestResponse>;
  createStore(tenantId: string, name?: string): Promise<LightMyRequestResponse>;
  /** A store and an active product inserted with SQL, and an order body naming them. */
  orderFixtures(tenantId: string): Promise<{ storeId: string; body: Record<string, unknown> }>;
  /** SQL as the regional owner with the tenant set, committed. */
  sql<Row extends Record<string, unknown>>(tenantId: string, text: string, params?: unknown[]): Promise<Row[]>;
  /** The plan the region keeps for the tenant, as stored. */
  keptPlan(tenantId: string): Promise<{ plan: string; limits: PlanLimits; access: string; revision: number } | undefined>;
  /** Every `usage_by_day` row of the tenant as `{metric: value}` summed over days. */
  usage(tenantId: string): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startPlansKit(env: Record<string, string> = {}): Promise<PlansKit> {
  const keel = await startTestKeel({ FEED_LONG_POLL_MS: '2000', ...env });
  const centralPool = createPool(keel.databases.central.app, { applicationName: 'test-central', logger: createLogger({ level: 'silent' }) });
  const central: Database = createDatabase(centralPool);
  const owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();

  const append = async (events: CentralEvent[]) => {
    await central.transaction((tx) => appendToFeed(tx, events));
  };
  const sql = async <Row extends Record<string, unknown>>(tenantId: string, text: string, params: unknown[] = []) =>
    asTenant(owner, tenantId, async (client) => (await client.query<Row>(text, params)).rows, 'commit');
  const plansApplied = async (tenantId: string) =>
    (await sql<{ count: number }>(tenantId, `select count(*)::int as count from processed_messages where consumer = 'tenant-plans'`))[0]!.count;
  const provisioned = async (tenantId: string) => (await sql(tenantId, 'select 1 from tenants')).length === 1;

  const planEvent = (tenantId: string, seed: PlanSeed): CentralEvent => {
    const payload: TenantPlanChangedPayload = {
      tenantId,
      plan: seed.plan ?? 'platinum',
      limits: { ...UNLIMITED, ...seed.limits },
      access: seed.access ?? 'active',
      revision: seed.revision,
      changedAt: keel.clock.now().toISOString(),
    };
    return { type: TENANT_PLAN_CHANGED, tenantId, region: 'local', payload };
  };

  const newTenantWith = async (plan: Omit<PlanSeed, 'revision'> | undefined) => {
    const tenantId = randomUUID();
    await append([tenantCreatedEvent(tenantId, 'local'), ...(plan ? [planEvent(tenantId, { ...plan, revision: 1 })] : [])]);
    await waitUntil(async () => (await provisioned(tenantId)) && (plan === undefined || (await plansApplied(tenantId)) === 1));
    return tenantId;
  };

  const api = async (tenantId: string, request: InjectOptions, role: Role = 'owner') => {
    const headers = { ...(await keel.authorization(tenantId, { role })), ...(request.headers as Record<string, string> | undefined) };
    return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers });
  };

  return {
    keel,
    append,
    newTenant: (plan = {}) => newTenantWith(plan),
    newTenantWithoutPlan: () => newTenantWith(undefined),
    publishPlan: async (tenantId, seed) => {
      const applied = await plansApplied(tenantId);
      await append([planEvent(tenantId, seed)]);
      await waitUntil(async () => (await plansApplied(tenantId)) > applied);
    },
    api,
    createStore: (tenantId, name = `Store ${randomUUID().slice(0, 8)}`) => api(tenantId, { method: 'POST', url: '/stores', payload: { name } }),
    orderFixtures: async (tenantId) => {
      const [ids] = await sql<{ storeId: string; productId: string }>(
        tenantId,
        `with store as (insert into stores (tenant_id, name) values ($1, $2) returning id),
              product as (insert into products (tenant_id, sku, name, price_minor) values ($1, $3, 'Product', 1200) returning id)
         select store.id as "storeId", product.id as "productId" from store, product`,
        [tenantId, `Desk ${randomUUID()}`, `SKU-${randomUUID()}`],
      );
      const body = { storeId: ids!.storeId, customer: { name: 'Ada', email: 'ada@example.com' }, lines: [{ productId: ids!.productId, quantity: 1 }] };
      return { storeId: ids!.storeId, body };
    },
    sql,
    keptPlan: async (tenantId) =>
      (await sql<{ plan: string; limits: PlanLimits; access: string; revision: number }>(tenantId, 'select plan, limits, access, revision from tenant_plans'))[0],
    usage: async (tenantId) => {
      const rows = await sql<{ metric: string; value: number }>(tenantId, 'select metric, sum(value)::int as value from usage_by_day group by metric');
      return Object.fromEntries(rows.map((row) => [row.metric, row.value]));
    },
    stop: async () => {
      await owner.end();
      await centralPool.end();
      await keel.stop();
    },
  };
}

export function expectError(response: LightMyRequestResponse, status: number, code: string, details?: unknown[]): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<{ code: string; details?: unknown[] }>();
  expect(body.code).toBe(code);
  if (details !== undefined) expect(body.details).toEqual(details);
}
