import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendToFeed } from '@keel/central';
import { CENTRAL_EVENT_TYPES, type TokensRevokedPayload } from '@keel/central/contracts';
import { createDatabase, createLogger, createPool, type Database } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';
import type { OrderUpdate } from './realtime-server.ts';
import { closeAll, connect, nextConnectError, refusal } from '../../../../test/support/realtime-client.ts';

/**
 * Socket.IO at `/realtime` of a Keel listening on a real port, reached with socket.io-client;
 * tokens from the test issuer on the Keel's manual clock, which the expiry check reads.
 */
let keel: TestKeel;
let regionalOwner: pg.Client;
let centralPool: pg.Pool;
let central: Database;

beforeAll(async () => {
  keel = await startTestKeel({ REALTIME_TOKEN_CHECK_INTERVAL_MS: '20', FEED_LONG_POLL_MS: '2000' });
  regionalOwner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await regionalOwner.connect();
  centralPool = createPool(keel.databases.central.app, { applicationName: 'test-central', logger: createLogger({ level: 'silent' }) });
  central = createDatabase(centralPool);
});

afterEach(() => closeAll());

afterAll(async () => {
  closeAll();
  await centralPool?.end();
  await regionalOwner?.end();
  await keel?.stop();
});

describe('RT-001 the handshake is authenticated like the API', () => {
  it.each([
    { case: 'no auth', code: 'AUTH_TOKEN_MISSING', token: async () => undefined },
    { case: 'an empty token', code: 'AUTH_TOKEN_MISSING', token: async () => '' },
    { case: 'a malformed token', code: 'AUTH_TOKEN_INVALID', token: async () => 'not-a-token' },
    { case: 'a token signed by another key', code: 'AUTH_TOKEN_INVALID', token: async (tenantId: string) => keel.issuer.signWithForeignKey({ tenantId }) },
    {
      case: 'an expired token',
      code: 'AUTH_TOKEN_EXPIRED',
      token: async (tenantId: string) => {
        const token = await keel.issuer.sign({ tenantId, lifetimeSeconds: 60 });
        keel.clock.advance(61_000);
        return token;
      },
    },
    {
      case: 'a revoked token',
      code: 'AUTH_TOKEN_REVOKED',
      token: async (tenantId: string) => {
        const subject = randomUUID();
        const token = await keel.issuer.sign({ tenantId, userId: subject });
        await revokeInRegion(tenantId, subject);
        return token;
      },
    },
  ])('RT-001 a handshake with $case is refused with $code as message and data', async ({ code, token }) => {
    const tenantId = await newTenant();
    expect(await refusal(keel.url, await token(tenantId))).toEqual({ message: code, data: { code } });
  });

  it('RT-001 a valid token connects', async () => {
    const client = await connect(keel.url, await keel.issuer.sign({ tenantId: await newTenant() }));
    expect(client.socket.connected).toBe(true);
  });
});

describe('RT-002 connection-state recovery authenticates again', () => {
  it('RT-002 a dropped transport recovers with a valid token, and is refused with AUTH_TOKEN_REVOKED once the token is revoked', async () => {
    const tenantId = await newTenant();
    const subject = randomUUID();
    const client = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: subject }), { reconnection: true });
    // A client recovers from the offset of the last event it received: it needs one.
    const order = await createOrder(tenantId, await createStore(tenantId));
    expect(await client.nextUpdate()).toMatchObject({ orderId: order.id });

    const recovered = new Promise<boolean>((resolve) => client.socket.once('connect', () => resolve(client.socket.recovered)));
    client.socket.io.engine.close();
    expect(await recovered).toBe(true);

    // Revoked in the region's table directly (no feed event, so nothing cuts the socket): only the recovery's authentication can refuse it.
    await revokeInRegion(tenantId, subject);
    const refused = nextConnectError(client.socket);
    client.socket.io.engine.close();
    expect(await refused).toEqual({ message: 'AUTH_TOKEN_REVOKED', data: { code: 'AUTH_TOKEN_REVOKED' } });
  });

  it("RT-002 a session is recovered only with a token of its own tenant and subject: another tenant's token starts afresh, outside the old session's rooms and without the events it missed", async () => {
    const [tenantId, otherTenant] = [await newTenant(), await newTenant()];
    const subject = randomUUID();
    const store = await createStore(tenantId);
    const client = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: subject }), { reconnection: true });
    const watcher = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: randomUUID() }));
    // A client recovers from the offset of the last event it received: it needs one.
    const first = await createOrder(tenantId, store);
    expect(await client.nextUpdate()).toMatchObject({ orderId: first.id });
    expect(await watcher.nextUpdate()).toMatchObject({ orderId: first.id });

    // Dropped, and kept away while an event of its tenant goes out (the watcher proves it went out).
    client.socket.io.reconnection(false);
    const dropped = new Promise((resolve) => client.socket.once('disconnect', resolve));
    client.socket.io.engine.close();
    await dropped;
    const missed = await createOrder(tenantId, store);
    expect(await watcher.nextUpdate()).toMatchObject({ orderId: missed.id });

    // Back with the session's id and offset, and a valid token of the same subject in another tenant.
    client.socket.auth = { token: await keel.issuer.sign({ tenantId: otherTenant, userId: subject }) };
    const reconnected = new Promise<boolean>((resolve) => client.socket.once('connect', () => resolve(client.socket.recovered)));
    client.socket.connect();
    expect(await reconnected).toBe(false);

    const later = await createOrder(tenantId, store);
    expect(await watcher.nextUpdate()).toMatchObject({ orderId: later.id });
    const own = await createOrder(otherTenant, await createStore(otherTenant));
    // The first event it gets is its new tenant's: neither the missed nor the later event of the old one.
    expect(await client.nextUpdate()).toMatchObject({ orderId: own.id });
  });
});

describe('RT-003 a socket lives as long as its token, or a fresh one', () => {
  it('RT-003 at expiry the socket without a fresh token is cut, the one that re-authenticated stays; another subject\'s token is refused', async () => {
    const tenantId = await newTenant();
    const [subject, otherSubject] = [randomUUID(), randomUUID()];
    const stale = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: subject, lifetimeSeconds: 60 }));
    const refreshed = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: subject, lifetimeSeconds: 60 }));

    keel.clock.advance(30_000);
    const fresh = await keel.issuer.sign({ tenantId, userId: subject, lifetimeSeconds: 300 });
    expect(await refreshed.emit('reauthenticate', { token: fresh })).toEqual({ expiresAt: new Date(expiryOf(fresh) * 1000).toISOString() });
    expect(await stale.emit('reauthenticate', { token: await keel.issuer.sign({ tenantId, userId: otherSubject }) })).toEqual({ error: { code: 'AUTH_TOKEN_INVALID' } });
    expect(await stale.emit('reauthenticate', { token: 'forged' })).toEqual({ error: { code: 'AUTH_TOKEN_INVALID' } });

    keel.clock.advance(31_000);
    expect(await stale.disconnected).toBe('io server disconnect');
    // The check that cut `stale` went over every socket of the instance at once.
    expect(refreshed.socket.connected).toBe(true);
  });
});

describe('RT-004 a revocation applied by the region cuts the subject\'s sockets', () => {
  it('RT-004 tokens.revoked disconnects the subject\'s socket in that tenant; the subject elsewhere and colleagues stay, and the token cannot reconnect', async () => {
    const [tenantId, otherTenantId] = [await newTenant(), await newTenant()];
    const [subject, colleague] = [randomUUID(), randomUUID()];
    const token = await keel.issuer.sign({ tenantId, userId: subject });
    const removed = await connect(keel.url, token);
    const elsewhere = await connect(keel.url, await keel.issuer.sign({ tenantId: otherTenantId, userId: subject }));
    const colleagues = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: colleague }));

    const payload: TokensRevokedPayload = { tenantId, subject, reason: 'member.removed', revokedAt: keel.clock.now().toISOString() };
    await central.transaction((tx) => appendToFeed(tx, [{ type: CENTRAL_EVENT_TYPES.tokensRevoked, tenantId, region: 'local', payload }]));

    expect(await removed.disconnected).toBe('io server disconnect');
    expect([elsewhere.socket.connected, colleagues.socket.connected]).toEqual([true, true]);
    expect(await refusal(keel.url, token)).toEqual({ message: 'AUTH_TOKEN_REVOKED', data: { code: 'AUTH_TOKEN_REVOKED' } });
  });
});

describe('RT-005 rooms of the socket\'s own tenant only', () => {
  it('RT-005 a socket joins its tenant\'s store and order rooms; another tenant\'s, unknown or malformed rooms are REALTIME_ROOM_FORBIDDEN', async () => {
    const [tenantId, otherTenantId] = [await newTenant(), await newTenant()];
    const [store, otherStore] = [await createStore(tenantId), await createStore(otherTenantId)];
    const [order, otherOrder] = [await createOrder(tenantId, store), await createOrder(otherTenantId, otherStore)];
    const client = await connect(keel.url, await keel.issuer.sign({ tenantId }));

    expect(await client.emit('join', { room: `store:${store}` })).toEqual({ room: `store:${store}` });
    expect(await client.emit('join', { room: `order:${order.id}` })).toEqual({ room: `order:${order.id}` });
    for (const room of [`store:${otherStore}`, `order:${otherOrder.id}`, `order:${randomUUID()}`, `tenant:${otherTenantId}`, `store:${store.toUpperCase()}x`, undefined]) {
      expect(await client.emit('join', { room }), String(room)).toEqual({ error: { code: 'REALTIME_ROOM_FORBIDDEN' } });
    }
  });
});

describe('RT-006 order events after commit, to the tenant\'s and the order\'s rooms', () => {
  it('RT-006 creation, notes and status changes reach the tenant\'s sockets and the order\'s room with their version; a refused change sends nothing; another tenant receives nothing', async () => {
    const [tenantId, otherTenantId] = [await newTenant(), await newTenant()];
    const [store, otherStore] = [await createStore(tenantId), await createStore(otherTenantId)];
    const board = await connect(keel.url, await keel.issuer.sign({ tenantId }));
    const outsider = await connect(keel.url, await keel.issuer.sign({ tenantId: otherTenantId }));

    const order = await createOrder(tenantId, store);
    const created = { type: 'order.created', orderId: order.id, number: order.number, status: 'PENDING', version: 1, by: expect.any(String) };
    expect(await board.nextUpdate()).toEqual(created);
    const watcher = await connect(keel.url, await keel.issuer.sign({ tenantId }));
    expect(await watcher.emit('join', { room: `order:${order.id}` })).toEqual({ room: `order:${order.id}` });

    // Refused (stale version): rolled back, so nothing is sent; the next event anyone gets is the accepted change.
    expect((await api(tenantId, 'POST', `/orders/${order.id}/status`, { status: 'CONFIRMED', version: 7 })).statusCode).toBe(409);
    expect((await api(tenantId, 'PATCH', `/orders/${order.id}`, { notes: 'Gift wrap', version: 1 })).statusCode).toBe(200);
    expect((await api(tenantId, 'POST', `/orders/${order.id}/status`, { status: 'CONFIRMED', version: 2 })).statusCode).toBe(200);
    const changed = { type: 'order.changed', orderId: order.id, number: order.number, version: 2, by: expect.any(String) };
    const confirmed = { type: 'order.status_changed', orderId: order.id, number: order.number, status: 'CONFIRMED', version: 3, by: expect.any(String) };
    // Events of one order may be delivered in any order (messaging has no ordering guarantee): clients order them by version.
    for (const client of [board, watcher]) expect(byVersion([await client.nextUpdate(), await client.nextUpdate()])).toEqual([changed, confirmed]);

    // A later event of the outsider's own tenant is the first it receives: none of the other tenant's reached it.
    const otherOrder = await createOrder(otherTenantId, otherStore);
    expect(await outsider.nextUpdate()).toMatchObject({ type: 'order.created', orderId: otherOrder.id, version: 1 });
    // And the board, which got everything of its tenant, got nothing of the outsider's: its next is its own tenant's.
    const next = await createOrder(tenantId, store);
    expect(await board.nextUpdate()).toMatchObject({ type: 'order.created', orderId: next.id });
  });
});

async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

function byVersion(updates: OrderUpdate[]): OrderUpdate[] {
  return updates.toSorted((a, b) => a.version - b.version);
}

function expiryOf(token: string): number {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
}

async function revokeInRegion(tenantId: string, subject: string): Promise<void> {
  await asTenant(regionalOwner, tenantId, (client) => client.query(`insert into token_revocations (tenant_id, subject, revoked_at, reason) values ($1, $2, $3, 'member.removed')`, [tenantId, subject, keel.clock.now()]), 'commit');
}

async function api(tenantId: string, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: Record<string, unknown>) {
  return keel.app.inject({ method, url: `/api/v1${path}`, headers: await keel.authorization(tenantId, { role: 'admin' }), ...(payload ? { payload } : {}) });
}

async function createStore(tenantId: string): Promise<string> {
  const response = await api(tenantId, 'POST', '/stores', { name: `Store ${randomUUID().slice(0, 8)}` });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function createOrder(tenantId: string, storeId: string): Promise<{ id: string; number: number }> {
  const [product] = await asTenant(
    regionalOwner,
    tenantId,
    async (client) => (await client.query<{ id: string }>(`insert into products (tenant_id, sku, name, price_minor) values ($1, $2, 'Widget', 1500) returning id`, [tenantId, `SKU-${randomUUID().slice(0, 8)}`])).rows,
    'commit',
  );
  const response = await api(tenantId, 'POST', '/orders', { storeId, customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, lines: [{ productId: product!.id, quantity: 1 }] });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; number: number }>();
}
