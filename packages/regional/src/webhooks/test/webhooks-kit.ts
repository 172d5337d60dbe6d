import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../../test/support/keel.ts';
import { asTenant } from '../../../../../test/support/tenant-sql.ts';

export type Role = 'member' | 'admin' | 'owner';

/** What a receiver got: one entry per request, in arrival order. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A real HTTP receiver on 127.0.0.1; `answer` picks the status of each request (its index from 0). */
export interface Receiver {
  url: string;
  received: Received[];
  answer: (index: number) => number;
  close(): Promise<void>;
}

export async function startReceiver(answer: (index: number) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Receiver = { url: '', received, answer, close: async () => {} };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = receiver.answer(received.length);
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}

export interface WebhooksKit {
  keel: TestKeel;
  api(tenantId: string, request: InjectOptions, role?: Role): Promise<LightMyRequestResponse>;
  newTenant(): Promise<string>;
  /** Registers an endpoint (as an admin) and answers its body, secret included. */
  register(tenantId: string, body: Record<string, unknown>): Promise<{ id: string; secret: string; version: number; [key: string]: unknown }>;
  /** A store, a product and an order through the API: `order.created` follows. */
  createOrder(tenantId: string): Promise<{ id: string; version: number }>;
  deliveries(tenantId: string, endpointId: string): Promise<{ attempt: number; outcome: string; statusCode: number | null; errorCode: string | null; eventId: string; durationMs: number }[]>;
  sql<Row extends Record<string, unknown>>(tenantId: string, text: string, params?: unknown[]): Promise<Row[]>;
  stop(): Promise<void>;
}

export async function startWebhooksKit(env: Record<string, string>): Promise<WebhooksKit> {
  const keel = await startTestKeel(env);
  const owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
  const sql = async <Row extends Record<string, unknown>>(tenantId: string, text: string, params: unknown[] = []) =>
    asTenant(owner, tenantId, async (client) => (await client.query<Row>(text, params)).rows, 'commit');
  const api = async (tenantId: string, request: InjectOptions, role: Role = 'admin') => {
    const headers = { ...(await keel.authorization(tenantId, { role })), ...(request.headers as Record<string, string> | undefined) };
    return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers });
  };
  const ok = (response: LightMyRequestResponse, status: number) => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json();
  };
  return {
    keel,
    api,
    sql,
    newTenant: async () => {
      const tenantId = randomUUID();
      await keel.provisionTenant(tenantId);
      return tenantId;
    },
    register: async (tenantId, body) => ok(await api(tenantId, { method: 'POST', url: '/webhooks', payload: body }), 201),
    createOrder: async (tenantId) => {
      const store = ok(await api(tenantId, { method: 'POST', url: '/stores', payload: { name: `Store ${randomUUID().slice(0, 8)}` } }), 201);
      const [product] = await sql<{ id: string }>(tenantId, `insert into products (tenant_id, sku, name, price_minor) values ($1, $2, 'Widget', 1250) returning id`, [
        tenantId,
        `SKU-${randomUUID().slice(0, 8)}`,
      ]);
      const payload = { storeId: store.id, customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, lines: [{ productId: product!.id, quantity: 2 }] };
      return ok(await api(tenantId, { method: 'POST', url: '/orders', payload }, 'member'), 201);
    },
    deliveries: async (tenantId, endpointId) => ok(await api(tenantId, { method: 'GET', url: `/webhooks/${endpointId}/deliveries?limit=200` }), 200).items,
    stop: async () => {
      await owner.end();
      await keel.stop();
    },
  };
}
