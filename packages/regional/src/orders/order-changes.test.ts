import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISO, expectError, orderBody, startOrdersKit, type OrderDetail, type OrdersKit } from './test/orders-kit.ts';

/** POST /api/v1/orders/:orderId/status and PATCH /api/v1/orders/:orderId: versioned changes and their events. */

let kit: OrdersKit;
let tenant: string;
let storeId: string;
let productId: string;

beforeAll(async () => {
  kit = await startOrdersKit();
  tenant = await kit.newTenant();
  storeId = (await kit.createStore(tenant)).id;
  productId = (await kit.insertProducts(tenant, [{ priceMinor: 800 }]))[0]!.id;
});

afterAll(async () => {
  await kit?.stop();
});

describe('ORD-019 changing the status', () => {
  it('ORD-019 moves the order, increments the version, records who and when, appends order.status_changed with the new version and who moved it, and answers the detail', async () => {
    const order = await newOrder();
    const userId = randomUUID();
    const response = await changeStatus(order, 'CONFIRMED', order.version, userId);
    expect(response.statusCode, response.body).toBe(200);
    const changed = response.json<OrderDetail>();
    expect(changed).toMatchObject({ id: order.id, status: 'CONFIRMED', version: 2, allowedTransitions: ['PACKED', 'CANCELLED'] });
    expect(changed.statusHistory.at(-1)).toEqual({ from: 'PENDING', to: 'CONFIRMED', by: userId, at: expect.stringMatching(ISO) });
    expect(Date.parse(changed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(order.updatedAt));
    expect(await kit.getOrder(tenant, order.id)).toEqual(changed);
    expect((await kit.eventsOf(tenant, order.id)).at(-1)).toEqual({
      type: 'order.status_changed',
      payload: { orderId: order.id, number: order.number, from: 'PENDING', to: 'CONFIRMED', version: 2, by: userId },
    });
  });

  it('ORD-003 ORD-019 walks the whole path over HTTP, a version and an event for each step', async () => {
    const order = await newOrder();
    const path = ['CONFIRMED', 'PACKED', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED', 'RETURNED'];
    let version = order.version;
    for (const status of path) {
      const response = await changeStatus(order, status, version);
      expect(response.statusCode, response.body).toBe(200);
      version = response.json<OrderDetail>().version;
    }
    const read = await kit.getOrder(tenant, order.id);
    expect({ status: read.status, version: read.version, allowed: read.allowedTransitions }).toEqual({ status: 'RETURNED', version: 7, allowed: [] });
    expect(read.statusHistory.map((change) => `${change.from}→${change.to}`)).toEqual(['null→PENDING', 'PENDING→CONFIRMED', 'CONFIRMED→PACKED', 'PACKED→SHIPPED', 'SHIPPED→DELIVERED', 'DELIVERED→RETURN_REQUESTED', 'RETURN_REQUESTED→RETURNED']);
    expect((await kit.eventsOf(tenant, order.id)).map((event) => [event.type, event.payload.version])).toEqual([
      ['order.created', 1],
      ...path.map((_, index) => ['order.status_changed', index + 2]),
    ]);
  });

  it.each(['PENDING', 'CONFIRMED', 'PACKED'])('ORD-003 cancels a %s order', async (status) => {
    const order = await orderIn(status);
    const response = await changeStatus(order, 'CANCELLED', order.version);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'CANCELLED', allowedTransitions: [] });
  });

  it.each(['SHIPPED', 'DELIVERED', 'RETURN_REQUESTED', 'RETURNED', 'CANCELLED'])('ORD-004 ORD-022 cancelling a %s order answers 409 ORDER_NOT_CANCELLABLE and changes nothing', async (status) => {
    const order = await orderIn(status);
    await expectRefusedUnchanged(order, () => changeStatus(order, 'CANCELLED', order.version), 409, 'ORDER_NOT_CANCELLABLE');
  });

  it.each([
    { from: 'PENDING', to: 'PACKED', kind: 'skipping a step' },
    { from: 'PENDING', to: 'DELIVERED', kind: 'skipping to the end' },
    { from: 'PACKED', to: 'CONFIRMED', kind: 'going back' },
    { from: 'PENDING', to: 'PENDING', kind: 'staying put' },
    { from: 'CANCELLED', to: 'PENDING', kind: 'leaving a final status' },
    { from: 'SHIPPED', to: 'RETURN_REQUESTED', kind: 'a return before delivery' },
  ])('ORD-005 ORD-022 $kind ($from → $to) answers 409 ORDER_INVALID_TRANSITION and changes nothing', async ({ from, to }) => {
    const order = await orderIn(from);
    await expectRefusedUnchanged(order, () => changeStatus(order, to, order.version), 409, 'ORDER_INVALID_TRANSITION');
  });

  it.each([
    { kind: 'older', offset: -1 },
    { kind: 'newer', offset: 1 },
  ])('ORD-019 ORD-022 a version $kind than the order’s answers 409 VERSION_CONFLICT and changes nothing', async ({ offset }) => {
    const order = await orderIn('CONFIRMED');
    await expectRefusedUnchanged(order, () => changeStatus(order, 'PACKED', order.version + offset), 409, 'VERSION_CONFLICT');
  });

  it('ORD-019 ORD-022 a stale version is refused before the move is judged', async () => {
    const order = await orderIn('SHIPPED');
    await expectRefusedUnchanged(order, () => changeStatus(order, 'CANCELLED', order.version - 1), 409, 'VERSION_CONFLICT');
  });

  it.each([
    { mistake: 'an unknown status', payload: (version: number) => ({ status: 'LOST', version }), paths: ['body.status'] },
    { mistake: 'a status in lower case', payload: (version: number) => ({ status: 'confirmed', version }), paths: ['body.status'] },
    { mistake: 'no version', payload: () => ({ status: 'CONFIRMED' }), paths: ['body.version'] },
    { mistake: 'a version that is a string', payload: (version: number) => ({ status: 'CONFIRMED', version: String(version) }), paths: ['body.version'] },
    { mistake: 'a field it does not know', payload: (version: number) => ({ status: 'CONFIRMED', version, by: 'someone' }), paths: ['body.by'] },
  ])('ORD-019 ORD-022 $mistake answers 400 VALIDATION_FAILED and changes nothing', async ({ payload, paths }) => {
    const order = await newOrder();
    const request = () => kit.api(tenant, { method: 'POST', url: `/orders/${order.id}/status`, payload: payload(order.version) });
    await expectRefusedUnchanged(order, request, 400, 'VALIDATION_FAILED', paths);
  });
});

describe('ORD-020 concurrent status changes', () => {
  it('ORD-020 20 parallel changes over HTTP with one version, several past the version check at once: exactly one succeeds, 19 answer 409 VERSION_CONFLICT; one history entry, one event', async () => {
    const order = await newOrder();
    // Holding the row makes the requests that read version 1 queue at their UPDATE, so the
    // version in its WHERE (not the read before it) has to sort them out.
    const holder = await kit.begin(tenant);
    expect(await holder.query('select id from orders where id = $1 for update', [order.id])).toHaveLength(1);
    const targets = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? 'CONFIRMED' : 'CANCELLED'));
    const pending = Promise.all(
      targets.map(async (status) => {
        const response = await fetch(`${kit.keel.url}/api/v1/orders/${order.id}/status`, {
          method: 'POST',
          body: JSON.stringify({ status, version: order.version }),
          headers: { 'content-type': 'application/json', ...(await kit.bearer(tenant)) },
        });
        return { status: response.status, body: (await response.json()) as { code?: string; status?: string; version?: number } };
      }),
    );
    await kit.waitForBlockedAppConnections(5);
    await holder.commit();
    const responses = await pending;
    const won = responses.filter((response) => response.status === 200);
    const lost = responses.filter((response) => response.status !== 200);
    expect(won).toHaveLength(1);
    expect(lost.map((response) => [response.status, response.body.code])).toEqual(Array(19).fill([409, 'VERSION_CONFLICT']));
    const read = await kit.getOrder(tenant, order.id);
    expect({ status: read.status, version: read.version }).toEqual({ status: won[0]!.body.status, version: 2 });
    expect(read.statusHistory).toHaveLength(2);
    expect((await kit.eventsOf(tenant, order.id)).map((event) => event.type)).toEqual(['order.created', 'order.status_changed']);
  });
});

describe('ORD-021 changing the notes', () => {
  it('ORD-021 replaces the notes, increments the version, appends order.changed with the new version and who changed them, and answers the detail', async () => {
    const order = await newOrder();
    const userId = randomUUID();
    const response = await changeNotes(order, '  Call before delivery.\n\tGate code: 4711  ', order.version, userId);
    expect(response.statusCode, response.body).toBe(200);
    const changed = response.json<OrderDetail>();
    expect(changed).toMatchObject({ notes: 'Call before delivery.\n\tGate code: 4711', version: 2, status: 'PENDING' });
    expect(changed.statusHistory).toEqual(order.statusHistory);
    expect(await kit.getOrder(tenant, order.id)).toEqual(changed);
    expect((await kit.eventsOf(tenant, order.id)).at(-1)).toEqual({
      type: 'order.changed',
      payload: { orderId: order.id, number: order.number, notes: 'Call before delivery.\n\tGate code: 4711', version: 2, by: userId },
    });
  });

  it('ORD-021 accepts 2,000 characters and clears notes with an empty text, a version each', async () => {
    const order = await newOrder();
    const long = await changeNotes(order, 'n'.repeat(2_000), order.version);
    expect(long.json()).toMatchObject({ notes: 'n'.repeat(2_000), version: 2 });
    const cleared = await changeNotes(order, '', 2);
    expect(cleared.json()).toMatchObject({ notes: '', version: 3 });
    expect((await kit.eventsOf(tenant, order.id)).map((event) => event.payload.version)).toEqual([1, 2, 3]);
  });

  it.each([
    { mistake: 'notes of 2,001 characters', notes: 'n'.repeat(2_001) },
    { mistake: 'notes with a NUL character', notes: 'Ring\u0000twice' },
    { mistake: 'notes with an escape character', notes: 'Ring \u001b[31mtwice' },
    { mistake: 'notes that are not text', notes: 42 },
  ])('ORD-021 ORD-022 $mistake answer 400 VALIDATION_FAILED naming body.notes and change nothing', async ({ notes }) => {
    const order = await newOrder();
    const request = () => kit.api(tenant, { method: 'PATCH', url: `/orders/${order.id}`, payload: { notes, version: order.version } });
    await expectRefusedUnchanged(order, request, 400, 'VALIDATION_FAILED', ['body.notes']);
  });

  it('ORD-021 ORD-022 a stale version answers 409 VERSION_CONFLICT and changes nothing', async () => {
    const order = await orderIn('CONFIRMED');
    await expectRefusedUnchanged(order, () => changeNotes(order, 'Too late', order.version - 1), 409, 'VERSION_CONFLICT');
  });

  it('ORD-021 a status change and a notes change share one version sequence', async () => {
    const order = await newOrder();
    expect((await changeNotes(order, 'First', 1)).statusCode).toBe(200);
    expect((await changeStatus(order, 'CONFIRMED', 1)).statusCode).toBe(409);
    expect((await changeStatus(order, 'CONFIRMED', 2)).json()).toMatchObject({ status: 'CONFIRMED', notes: 'First', version: 3 });
  });
});

// ---------------------------------------------------------------------------------------------

async function newOrder(): Promise<OrderDetail> {
  return kit.createOrder(tenant, orderBody(storeId, [{ productId }]));
}

const STEPS = ['PENDING', 'CONFIRMED', 'PACKED', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED', 'RETURNED'];

/** An order brought to `status` through the API along the machine's path (cancelled from PENDING). */
async function orderIn(status: string): Promise<OrderDetail> {
  const path = status === 'CANCELLED' ? ['CANCELLED'] : STEPS.slice(1, STEPS.indexOf(status) + 1);
  let order = await newOrder();
  for (const next of path) {
    const response = await changeStatus(order, next, order.version);
    expect(response.statusCode, response.body).toBe(200);
    order = response.json<OrderDetail>();
  }
  return order;
}

function changeStatus(order: Pick<OrderDetail, 'id'>, status: string, version: number, userId?: string): Promise<LightMyRequestResponse> {
  return kit.api(tenant, { method: 'POST', url: `/orders/${order.id}/status`, payload: { status, version } }, { userId });
}

function changeNotes(order: Pick<OrderDetail, 'id'>, notes: string, version: number, userId?: string): Promise<LightMyRequestResponse> {
  return kit.api(tenant, { method: 'PATCH', url: `/orders/${order.id}`, payload: { notes, version } }, { userId });
}

/** The request is refused as expected, and the order, its history and its events are as they were. */
async function expectRefusedUnchanged(order: OrderDetail, request: () => Promise<LightMyRequestResponse>, status: number, code: string, paths?: string[]): Promise<void> {
  const events = await kit.eventsOf(tenant, order.id);
  expectError(await request(), status, code, paths);
  expect(await kit.getOrder(tenant, order.id)).toEqual(order);
  expect(await kit.eventsOf(tenant, order.id)).toEqual(events);
}
