import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { startReceiver, startWebhooksKit, type Receiver, type WebhooksKit } from './test/webhooks-kit.ts';

/**
 * Delivery end to end on the real queue: order events from the API, real HTTP receivers on
 * 127.0.0.1 (private targets allowed, as in development), short webhook backoff by configuration.
 */
const MAX_ATTEMPTS = 5;
let kit: WebhooksKit;
const receivers: Receiver[] = [];

beforeAll(async () => {
  kit = await startWebhooksKit({
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    WEBHOOK_RETRY_BASE_DELAY_MS: '10',
    WEBHOOK_RETRY_MAX_DELAY_MS: '50',
  });
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await kit?.stop();
});

async function receiver(answer?: (index: number) => number): Promise<Receiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

/** The receiver's check, written from the README's scheme (not Keel's code). */
function verify(secret: string, request: { headers: Record<string, unknown>; body: string }): boolean {
  const header = String(request.headers['keel-webhook-signature']);
  const timestamp = String(request.headers['keel-webhook-timestamp']);
  const fields = header.split(',');
  if (fields[0] !== `t=${timestamp}`) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex');
  return fields.slice(1).includes(`v1=${expected}`);
}

describe('WHK-012 WHK-013 a receiver that fails 3 times, then succeeds', () => {
  it('WHK-011 WHK-012 WHK-013 WHK-015 WHK-016 gets the same event id, signed, 4 times; the log has 3 failures and 1 delivery; usage counts 1', async () => {
    const tenant = await kit.newTenant();
    const flaky = await receiver((index) => (index < 3 ? 503 : 204));
    const endpoint = await kit.register(tenant, { url: flaky.url, eventTypes: ['order.created'] });
    const order = await kit.createOrder(tenant);
    await waitUntil(async () => (await kit.deliveries(tenant, endpoint.id)).some((entry) => entry.outcome === 'delivered'));

    expect(flaky.received.map((request) => request.status)).toEqual([503, 503, 503, 204]);
    const ids = new Set(flaky.received.map((request) => request.headers['keel-webhook-id']));
    expect(ids.size).toBe(1);
    for (const request of flaky.received) {
      expect(verify(endpoint.secret, request)).toBe(true);
      expect(request.headers['keel-webhook-event']).toBe('order.created');
      expect(request.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request.body)).toMatchObject({ id: [...ids][0], type: 'order.created', tenantId: tenant, data: { orderId: order.id, version: 1 } });
    }
    expect(verify('whsec_wrong', flaky.received[3]!)).toBe(false);

    const log = await kit.deliveries(tenant, endpoint.id);
    expect(log.map(({ attempt, outcome, statusCode, errorCode }) => ({ attempt, outcome, statusCode, errorCode }))).toEqual([
      { attempt: 4, outcome: 'delivered', statusCode: 204, errorCode: null },
      { attempt: 3, outcome: 'failed', statusCode: 503, errorCode: 'WEBHOOK_RECEIVER_REJECTED' },
      { attempt: 2, outcome: 'failed', statusCode: 503, errorCode: 'WEBHOOK_RECEIVER_REJECTED' },
      { attempt: 1, outcome: 'failed', statusCode: 503, errorCode: 'WEBHOOK_RECEIVER_REJECTED' },
    ]);
    expect(log.every((entry) => entry.eventId === [...ids][0] && entry.durationMs >= 0)).toBe(true);
    const usage = await kit.api(tenant, { method: 'GET', url: '/usage' }, 'owner');
    expect(usage.json().today['webhook.deliveries']).toBe(1);
  });
});

describe('WHK-014 a receiver that always fails', () => {
  it('WHK-014 WHK-012 ends in dead letters after WEBHOOK_MAX_ATTEMPTS; replayed once it works, it gets the same event id once more', async () => {
    const tenant = await kit.newTenant();
    let healthy = false;
    const broken = await receiver(() => (healthy ? 200 : 500));
    const endpoint = await kit.register(tenant, { url: broken.url, eventTypes: ['order.created', 'order.status_changed'] });
    await kit.createOrder(tenant);
    let deadLetter: { id: string; consumer: string; attempts: number; lastErrorCode: string } | undefined;
    await waitUntil(async () => {
      const listed = await kit.api(tenant, { method: 'GET', url: '/dead-letters?status=open' });
      deadLetter = listed.json().items[0];
      return deadLetter !== undefined;
    });
    expect(deadLetter).toMatchObject({ consumer: 'webhook-delivery', attempts: MAX_ATTEMPTS, lastErrorCode: 'WEBHOOK_RECEIVER_REJECTED' });
    expect(broken.received).toHaveLength(MAX_ATTEMPTS);
    const eventId = broken.received[0]!.headers['keel-webhook-id'];

    healthy = true;
    const replayed = await kit.api(tenant, { method: 'POST', url: `/dead-letters/${deadLetter!.id}/replay` });
    expect(replayed.statusCode, replayed.body).toBe(200);
    await waitUntil(async () => (await kit.deliveries(tenant, endpoint.id)).some((entry) => entry.outcome === 'delivered'));
    expect(broken.received).toHaveLength(MAX_ATTEMPTS + 1);
    expect(broken.received.map((request) => request.headers['keel-webhook-id'])).toEqual(Array(MAX_ATTEMPTS + 1).fill(eventId));
    expect(verify(endpoint.secret, broken.received.at(-1)!)).toBe(true);
    const log = await kit.deliveries(tenant, endpoint.id);
    expect(log.filter((entry) => entry.outcome === 'failed')).toHaveLength(MAX_ATTEMPTS);
  });
});

describe('WHK-010 fan-out', () => {
  it('WHK-010 WHK-006 one delivery per active subscribed endpoint: none to a disabled one, nor for a type not subscribed', async () => {
    const tenant = await kit.newTenant();
    const [created, statuses, disabled] = await Promise.all([receiver(), receiver(), receiver()]);
    const onCreated = await kit.register(tenant, { url: created.url, eventTypes: ['order.created'] });
    const onStatus = await kit.register(tenant, { url: statuses.url, eventTypes: ['order.status_changed'] });
    const off = await kit.register(tenant, { url: disabled.url, eventTypes: ['order.created', 'order.status_changed'] });
    const change = await kit.api(tenant, { method: 'PATCH', url: `/webhooks/${off.id}`, payload: { status: 'disabled', version: off.version } });
    expect(change.json()).toMatchObject({ status: 'disabled', version: 2 });

    const order = await kit.createOrder(tenant);
    const moved = await kit.api(tenant, { method: 'POST', url: `/orders/${order.id}/status`, payload: { status: 'CONFIRMED', version: order.version } }, 'member');
    expect(moved.statusCode, moved.body).toBe(200);
    await waitUntil(async () => created.received.length === 1 && statuses.received.length === 1);
    // Both order events went through the fan-out: once the fan-out's queue is empty, nothing more can come.
    await waitUntil(async () => (await kit.sql<{ n: number }>(tenant, `select count(*)::int as n from processed_messages where consumer = 'webhook-fan-out'`))[0]!.n === 2);
    await waitUntil(async () => (await kit.sql<{ n: number }>(tenant, `select count(*)::int as n from outbox where type = 'webhook.delivery' and published_at is null`))[0]!.n === 0);
    await waitUntil(async () => (await kit.sql<{ n: number }>(tenant, `select count(*)::int as n from processed_messages where consumer = 'webhook-delivery'`))[0]!.n === 2);
    expect(JSON.parse(statuses.received[0]!.body)).toMatchObject({ type: 'order.status_changed', data: { from: 'PENDING', to: 'CONFIRMED' } });
    expect(disabled.received).toHaveLength(0);
    expect(created.received).toHaveLength(1);
    expect(await kit.deliveries(tenant, onCreated.id)).toHaveLength(1);
    expect(await kit.deliveries(tenant, onStatus.id)).toHaveLength(1);
  });
});

describe('WHK-005 secret rotation', () => {
  it('WHK-005 signs with the new secret and, during the overlap, with the previous one too', async () => {
    const tenant = await kit.newTenant();
    const hook = await receiver();
    const endpoint = await kit.register(tenant, { url: hook.url, eventTypes: ['order.created'] });
    const rotated = await kit.api(tenant, { method: 'POST', url: `/webhooks/${endpoint.id}/rotate-secret` });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const { secret } = rotated.json();
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(endpoint.secret);
    await kit.createOrder(tenant);
    await waitUntil(async () => hook.received.length === 1);
    const signature = String(hook.received[0]!.headers['keel-webhook-signature']);
    expect(signature.split(',').filter((part) => part.startsWith('v1='))).toHaveLength(2);
    expect(verify(secret, hook.received[0]!)).toBe(true);
    expect(verify(endpoint.secret, hook.received[0]!)).toBe(true);
  });
});

describe('WHK-017 no connection held while the receiver answers', () => {
  it('WHK-017 a receiver that has not answered yet holds no app connection open in a transaction', async () => {
    const tenant = await kit.newTenant();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { createServer } = await import('node:http');
    const { default: pg } = await import('pg');
    let arrivedAt: Date | undefined;
    const server = createServer((request, response) => {
      arrivedAt ??= new Date();
      request.resume();
      void held.then(() => response.writeHead(200).end());
    });
    const superuser = new pg.Client({ connectionString: kit.keel.databases.superuserUrl });
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await superuser.connect();
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/slow`;
      const endpoint = await kit.register(tenant, { url, eventTypes: ['order.created'] });
      await kit.createOrder(tenant);
      await waitUntil(async () => arrivedAt !== undefined);
      const database = new URL(kit.keel.databases.regional.app).pathname.slice(1);
      // Every app connection idle in a transaction since before the request arrived, whatever it ran last:
      // a delivery holding its transaction across the request would be one.
      const { rows } = await superuser.query<{ pid: number; query: string }>(
        `select pid, query from pg_stat_activity
          where datname = $1 and application_name = 'keel-regional-app' and state like 'idle in transaction%' and state_change < $2`,
        [database, arrivedAt],
      );
      expect(rows).toEqual([]);
      release();
      await waitUntil(async () => (await kit.deliveries(tenant, endpoint.id)).length === 1);
    } finally {
      release();
      await superuser.end().catch(() => {});
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
