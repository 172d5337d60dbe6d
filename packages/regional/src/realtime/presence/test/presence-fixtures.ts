import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { TestKeel } from '../../../../../../test/support/keel.ts';
import { waitUntil } from '../../../../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../../../../test/support/tenant-sql.ts';
import type { PresenceMember } from '../presence-store.ts';
import type { PresenceUpdate } from '../presence.ts';

/** The `presence` lists a socket received, newest last, to wait on. */
export function presenceSeen(socket: Socket) {
  const seen: PresenceUpdate[] = [];
  socket.on('presence', (update: PresenceUpdate) => seen.push(update));
  const latest = (room: string) => seen.findLast((update) => update.room === room)?.members;
  return {
    seen,
    latest,
    /** Waits until the room's latest list is `members` (in subject order). */
    async until(room: string, members: PresenceMember[]): Promise<void> {
      const expected = members.toSorted((a, b) => a.subject.localeCompare(b.subject));
      await waitUntil(async () => JSON.stringify(latest(room)) === JSON.stringify(expected), 10);
    },
  };
}

/** A tenant with one store and one order in it, created through the API. */
export async function tenantWithOrder(keel: TestKeel, owner: pg.Client): Promise<{ tenantId: string; storeId: string; orderId: string }> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  const headers = await keel.authorization(tenantId, { role: 'admin' });
  const store = await keel.app.inject({ method: 'POST', url: '/api/v1/stores', headers, payload: { name: `Store ${randomUUID().slice(0, 8)}` } });
  expect(store.statusCode, store.body).toBe(201);
  const storeId = store.json<{ id: string }>().id;
  const [product] = await asTenant(
    owner,
    tenantId,
    async (client) => (await client.query<{ id: string }>(`insert into products (tenant_id, sku, name, price_minor) values ($1, $2, 'Widget', 1500) returning id`, [tenantId, `SKU-${randomUUID().slice(0, 8)}`])).rows,
    'commit',
  );
  const order = await keel.app.inject({ method: 'POST', url: '/api/v1/orders', headers, payload: { storeId, customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, lines: [{ productId: product!.id, quantity: 1 }] } });
  expect(order.statusCode, order.body).toBe(201);
  return { tenantId, storeId, orderId: order.json<{ id: string }>().id };
}

/** The tenant's presence rows as the database holds them (as its owner, under the tenant's RLS). */
export async function presenceRows(owner: pg.Client, tenantId: string): Promise<{ room: string; subject: string; activity: string }[]> {
  return asTenant(owner, tenantId, async (client) => (await client.query<{ room: string; subject: string; activity: string }>('select room, subject, activity from presence order by room, subject')).rows);
}
