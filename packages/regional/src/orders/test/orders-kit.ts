import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../../test/support/keel.ts';
import { asTenant } from '../../../../../test/support/tenant-sql.ts';

/**
 * What the order tests share: Keel composed in-process, stores made through the API, products
 * inserted with SQL as the regional owner (the products API is not the orders' concern), and the
 * rows an order creation writes, counted per tenant.
 */

export type Role = 'member' | 'admin' | 'owner';

/** Who a token is for: its role (default `member`) and subject (default a new user id). */
export interface Caller {
  role?: Role;
  userId?: string;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  priceMinor: number;
  active: boolean;
}

export interface ProductSeed {
  priceMinor: number;
  active?: boolean;
  name?: string;
}

export interface OrderLine {
  position: number;
  productId: string;
  productName: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface OrderDetail {
  id: string;
  number: number;
  status: string;
  allowedTransitions: string[];
  store: { id: string; name: string };
  customer: { name: string; email: string };
  lines: OrderLine[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
  currency: string;
  notes: string;
  version: number;
  statusHistory: { from: string | null; to: string; by: string; at: string }[];
  createdAt: string;
  updatedAt: string;
}

/** Every row an order creation writes, for one tenant, plus the last number taken. */
export interface OrderWrites {
  orders: number;
  lines: number;
  statusChanges: number;
  idempotencyKeys: number;
  /** Every outbox row of the tenant (store events included). */
  outbox: number;
  /** Its `order.*` events. */
  orderEvents: number;
  lastNumber: number | null;
}

export interface OpenTransaction {
  query<Row extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  commit(): Promise<void>;
}

export interface OrdersKit {
  keel: TestKeel;
  /** A provisioned tenant of the region (USD, America/New_York). */
  newTenant(): Promise<string>;
  /** A request to `/api/v1` with a fresh token of the tenant (a new `member` unless told). */
  api(tenantId: string, request: InjectOptions, as?: Caller): Promise<LightMyRequestResponse>;
  /** `Authorization: Bearer …` of a fresh token. */
  bearer(tenantId: string, as?: Caller): Promise<{ authorization: string }>;
  createStore(tenantId: string, name?: string): Promise<{ id: string; name: string }>;
  insertProducts(tenantId: string, seeds: ProductSeed[]): Promise<Product[]>;
  /** POST /orders that must succeed (201). */
  createOrder(tenantId: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<OrderDetail>;
  getOrder(tenantId: string, orderId: string): Promise<OrderDetail>;
  /** SQL as the regional owner with the tenant set, committed. */
  sql<Row extends Record<string, unknown>>(tenantId: string, text: string, params?: unknown[]): Promise<Row[]>;
  writes(tenantId: string): Promise<OrderWrites>;
  /** The tenant's outbox events of one order, oldest first. */
  eventsOf(tenantId: string, orderId: string): Promise<{ type: string; payload: Record<string, unknown> }[]>;
  /** A transaction of the regional owner with the tenant set, left open (its locks held) until `commit()`. */
  begin(tenantId: string): Promise<OpenTransaction>;
  /** Resolves once at least `count` connections of the app's pool wait on a lock. */
  waitForBlockedAppConnections(count: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startOrdersKit(): Promise<OrdersKit> {
  const keel = await startTestKeel();
  const owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();

  const sql = async <Row extends Record<string, unknown>>(tenantId: string, text: string, params: unknown[] = []) =>
    asTenant(owner, tenantId, async (client) => (await client.query<Row>(text, params)).rows, 'commit');

  const bearer = async (tenantId: string, as: Caller = {}) => ({ authorization: `Bearer ${await keel.issuer.sign({ tenantId, role: as.role ?? 'member', userId: as.userId })}` });
  const api = async (tenantId: string, request: InjectOptions, as: Caller = {}) => {
    const headers = { ...(await bearer(tenantId, as)), ...(request.headers as Record<string, string> | undefined) };
    return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers });
  };

  const kit: OrdersKit = {
    keel,
    api,
    bearer,
    sql,
    newTenant: async () => {
      const tenantId = randomUUID();
      await keel.provisionTenant(tenantId);
      return tenantId;
    },
    createStore: async (tenantId, name = `Store ${randomUUID().slice(0, 8)}`) => {
      const response = await api(tenantId, { method: 'POST', url: '/stores', payload: { name } }, { role: 'admin' });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string; name: string }>();
    },
    insertProducts: async (tenantId, seeds) =>
      sql<Product & Record<string, unknown>>(
        tenantId,
        `insert into products (tenant_id, sku, name, price_minor, active)
         select $1, 'SKU-' || substr(md5(random()::text), 1, 12), coalesce(name, 'Product ' || ordinality), price, active
         from unnest($2::text[], $3::bigint[], $4::boolean[]) with ordinality as seed(name, price, active, ordinality)
         order by ordinality
         returning id, sku, name, price_minor::float8 as "priceMinor", active`,
        [tenantId, seeds.map((seed) => seed.name ?? null), seeds.map((seed) => seed.priceMinor), seeds.map((seed) => seed.active ?? true)],
      ),
    createOrder: async (tenantId, body, headers) => {
      const response = await api(tenantId, { method: 'POST', url: '/orders', payload: body, headers });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<OrderDetail>();
    },
    getOrder: async (tenantId, orderId) => {
      const response = await api(tenantId, { method: 'GET', url: `/orders/${orderId}` });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<OrderDetail>();
    },
    writes: async (tenantId) => {
      const [row] = await sql<OrderWrites & Record<string, unknown>>(
        tenantId,
        `select (select count(*)::int from orders) as orders,
                (select count(*)::int from order_lines) as lines,
                (select count(*)::int from order_status_changes) as "statusChanges",
                (select count(*)::int from order_idempotency_keys) as "idempotencyKeys",
                (select count(*)::int from outbox) as outbox,
                (select count(*)::int from outbox where type like 'order.%') as "orderEvents",
                (select last_number::int from order_numbers) as "lastNumber"`,
      );
      return row!;
    },
    eventsOf: (tenantId, orderId) =>
      sql<{ type: string; payload: Record<string, unknown> }>(tenantId, `select type, payload from outbox where payload->>'orderId' = $1 order by id`, [orderId]),
    begin: async (tenantId) => {
      const client = new pg.Client({ connectionString: keel.databases.regional.owner });
      await client.connect();
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      return {
        query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await client.query<Row>(text, params)).rows,
        commit: async () => {
          await client.query('commit');
          await client.end();
        },
      };
    },
    waitForBlockedAppConnections: async (count) => {
      // PostgreSQL announces no event for it: a bounded poll of the server's activity view.
      const database = new URL(keel.databases.regional.owner).pathname.slice(1);
      const superuser = new pg.Client({ connectionString: keel.databases.superuserUrl });
      await superuser.connect();
      try {
        for (let attempt = 0; attempt < 500; attempt += 1) {
          const { rows } = await superuser.query<{ blocked: number }>(
            `select count(*)::int as blocked from pg_stat_activity where datname = $1 and application_name = 'keel-regional-app' and wait_event_type = 'Lock'`,
            [database],
          );
          if (rows[0]!.blocked >= count) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error(`fewer than ${count} app connections ever waited on a lock`);
      } finally {
        await superuser.end();
      }
    },
    stop: async () => {
      await owner.end();
      await keel.stop();
    },
  };
  return kit;
}

/** A valid creation body for the store and products (one line each, quantity 1 unless told). */
export function orderBody(storeId: string, lines: { productId: string; quantity?: number }[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    storeId,
    customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
    lines: lines.map((line) => ({ productId: line.productId, quantity: line.quantity ?? 1 })),
    ...extra,
  };
}

/** An error response: `{code, requestId}`, plus `details` naming exactly `paths` when given. */
export function expectError(response: LightMyRequestResponse, status: number, code: string, paths?: string[]): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<{ code: string; requestId: string; details?: { path: string; rule: string }[] }>();
  expect(body).toEqual({ code, requestId: expect.any(String), ...(paths ? { details: expect.any(Array) } : {}) });
  if (paths) expect(body.details?.map((detail) => detail.path)).toEqual(paths);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
