import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeKeel, type ComposedKeel } from '@keel/cli/compose';
import { createLogReporter, createLogger, loadConfig } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../../test/support/keel.ts';
import { asTenant } from '../../../../../test/support/tenant-sql.ts';
import { closeAll, connect, type RealtimeClient } from '../../../../../test/support/realtime-client.ts';
import { presenceRows, presenceSeen, tenantWithOrder } from './test/presence-fixtures.ts';

/**
 * Presence on a Keel listening on a real port, reached with socket.io-client. Its clock is manual
 * (TTL 30 s, the default) and its sweep runs every 20 ms: a test moves time past the TTL and waits
 * for the `presence` event that follows.
 */
const TTL_MS = 30_000;
const ENV = { REALTIME_PRESENCE_TTL_MS: String(TTL_MS), REALTIME_PRESENCE_SWEEP_INTERVAL_MS: '20', REALTIME_ADAPTER: 'postgres' };
/** Known to the second instance of RT-035, which pulls central's feed as the first does. */
const REGION_CREDENTIAL = randomUUID() + randomUUID();
let keel: TestKeel;
let owner: pg.Client;

beforeAll(async () => {
  keel = await startTestKeel({ ...ENV, KEEL_REGION_CREDENTIAL: REGION_CREDENTIAL });
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
});

afterEach(() => closeAll());

afterAll(async () => {
  closeAll();
  await owner?.end();
  await keel?.stop();
});

async function member(tenantId: string, url = keel.url): Promise<{ subject: string; client: RealtimeClient; seen: ReturnType<typeof presenceSeen> }> {
  const subject = randomUUID();
  const client = await connect(url, await keel.issuer.sign({ tenantId, userId: subject }));
  return { subject, client, seen: presenceSeen(client.socket) };
}

const viewing = (subject: string) => ({ subject, activity: 'viewing' as const });
const editing = (subject: string) => ({ subject, activity: 'editing' as const });

describe('RT-030 presence in a room, told to the room', () => {
  it('RT-030 a socket announced on the board, a store or an order is in that room\'s list, sent to everyone there; the ack gives the heartbeat', async () => {
    const { tenantId, storeId } = await tenantWithOrder(keel, owner);
    const [ada, bob] = [await member(tenantId), await member(tenantId)];

    expect(await ada.client.emit('presence', { room: 'board', activity: 'viewing' })).toEqual({ room: 'board', heartbeatMs: TTL_MS / 3 });
    await ada.seen.until('board', [viewing(ada.subject)]);
    expect(await bob.client.emit('presence', { room: 'board', activity: 'viewing' })).toEqual({ room: 'board', heartbeatMs: TTL_MS / 3 });
    for (const { seen } of [ada, bob]) await seen.until('board', [viewing(ada.subject), viewing(bob.subject)]);

    expect(await bob.client.emit('presence', { room: `store:${storeId}`, activity: 'viewing' })).toEqual({ room: `store:${storeId}`, heartbeatMs: TTL_MS / 3 });
    await bob.seen.until(`store:${storeId}`, [viewing(bob.subject)]);
    // Two sockets of one subject are one member.
    const bobElsewhere = await connect(keel.url, await keel.issuer.sign({ tenantId, userId: bob.subject }));
    await bobElsewhere.emit('presence', { room: 'board', activity: 'viewing' });
    expect(await presenceRows(owner, tenantId)).toHaveLength(4);
    expect(ada.seen.latest('board')).toEqual([viewing(ada.subject), viewing(bob.subject)].toSorted((a, b) => a.subject.localeCompare(b.subject)));
  });
});

describe('RT-031 editing shows', () => {
  it('RT-031 a member announced editing an order shows as editing to the others in its room, and viewing again after; a heartbeat that changes nothing sends nothing', async () => {
    const { tenantId, orderId } = await tenantWithOrder(keel, owner);
    const room = `order:${orderId}`;
    const [ada, bob] = [await member(tenantId), await member(tenantId)];
    await ada.client.emit('presence', { room, activity: 'viewing' });
    await bob.client.emit('presence', { room, activity: 'editing' });
    await ada.seen.until(room, [viewing(ada.subject), editing(bob.subject)]);

    const before = ada.seen.seen.length;
    await ada.client.emit('presence', { room, activity: 'viewing' });
    await bob.client.emit('presence', { room, activity: 'viewing' });
    await ada.seen.until(room, [viewing(ada.subject), viewing(bob.subject)]);
    // Ada's heartbeat sent nothing: the one list she got since is Bob's change.
    expect(ada.seen.seen.length).toBe(before + 1);
  });
});

describe('RT-032 leaving and disconnecting remove at once', () => {
  it('RT-032 `leave` removes the socket from the room and its list; a disconnect removes all its entries, and the rooms are told', async () => {
    const { tenantId, orderId } = await tenantWithOrder(keel, owner);
    const room = `order:${orderId}`;
    const [ada, bob, cy] = [await member(tenantId), await member(tenantId), await member(tenantId)];
    for (const { client } of [ada, bob, cy]) {
      await client.emit('presence', { room, activity: 'viewing' });
      await client.emit('presence', { room: 'board', activity: 'viewing' });
    }
    expect(await cy.client.emit('leave', { room })).toEqual({ room });
    await ada.seen.until(room, [viewing(ada.subject), viewing(bob.subject)]);

    bob.client.close();
    await ada.seen.until(room, [viewing(ada.subject)]);
    await ada.seen.until('board', [viewing(ada.subject), viewing(cy.subject)]);
    expect(await presenceRows(owner, tenantId)).toEqual(
      [
        { room: 'board', subject: ada.subject, activity: 'viewing' },
        { room: 'board', subject: cy.subject, activity: 'viewing' },
        { room, subject: ada.subject, activity: 'viewing' },
      ].toSorted((a, b) => a.room.localeCompare(b.room) || a.subject.localeCompare(b.subject)),
    );
    expect(await cy.client.emit('leave', { room: 'tenant:x' })).toEqual({ error: { code: 'REALTIME_ROOM_FORBIDDEN' } });
  });
});

describe('RT-033 entries without heartbeats expire', () => {
  it('RT-033 an entry whose heartbeats stop vanishes once the TTL passes, and the room is told; one that keeps beating stays', async () => {
    const { tenantId } = await tenantWithOrder(keel, owner);
    const [ada, bob] = [await member(tenantId), await member(tenantId)];
    await ada.client.emit('presence', { room: 'board', activity: 'viewing' });
    await bob.client.emit('presence', { room: 'board', activity: 'editing' });
    await ada.seen.until('board', [viewing(ada.subject), editing(bob.subject)]);

    keel.clock.advance(TTL_MS - 10_000);
    await ada.client.emit('presence', { room: 'board', activity: 'viewing' });
    keel.clock.advance(10_001);
    await ada.seen.until('board', [viewing(ada.subject)]);
    expect(await presenceRows(owner, tenantId)).toEqual([{ room: 'board', subject: ada.subject, activity: 'viewing' }]);
    // Bob's socket is still connected: its next heartbeat brings it back.
    await bob.client.emit('presence', { room: 'board', activity: 'viewing' });
    await ada.seen.until('board', [viewing(ada.subject), viewing(bob.subject)]);
  });
});

describe('RT-034 presence of the socket\'s own tenant only', () => {
  it('RT-034 another tenant\'s socket never appears in a list and cannot announce itself in the tenant\'s rooms; a malformed request is refused with its code', async () => {
    const [mine, theirs] = [await tenantWithOrder(keel, owner), await tenantWithOrder(keel, owner)];
    const [ada, outsider] = [await member(mine.tenantId), await member(theirs.tenantId)];
    await ada.client.emit('presence', { room: 'board', activity: 'viewing' });
    await outsider.client.emit('presence', { room: 'board', activity: 'viewing' });
    await outsider.seen.until('board', [viewing(outsider.subject)]);

    for (const room of [`order:${mine.orderId}`, `store:${mine.storeId}`, `tenant:${mine.tenantId}`, `board:${mine.tenantId}`, `order:${randomUUID()}`]) {
      expect(await outsider.client.emit('presence', { room, activity: 'viewing' }), room).toEqual({ error: { code: 'REALTIME_ROOM_FORBIDDEN' } });
    }
    expect(await outsider.client.emit('presence', { room: 'board', activity: 'typing' })).toEqual({ error: { code: 'VALIDATION_FAILED' } });
    expect(await outsider.client.emit('presence', 'board')).toEqual({ error: { code: 'REALTIME_ROOM_FORBIDDEN' } });

    // The next list Ada gets is her own tenant's: none of the outsider's reached her.
    const colleague = await member(mine.tenantId);
    await colleague.client.emit('presence', { room: 'board', activity: 'viewing' });
    await ada.seen.until('board', [viewing(ada.subject), viewing(colleague.subject)]);
    expect(ada.seen.seen.flatMap((update) => update.members).map((entry) => entry.subject)).not.toContain(outsider.subject);
    expect(await presenceRows(owner, theirs.tenantId)).toEqual([{ room: 'board', subject: outsider.subject, activity: 'viewing' }]);
  });
});

describe('RT-006 order events say who made the change', () => {
  it('RT-006 the `order` event of a notes change and of a status change carries `by`, the subject of the token that made it', async () => {
    const { tenantId, orderId } = await tenantWithOrder(keel, owner);
    const [ada, bob] = [await member(tenantId), await member(tenantId)];
    const as = async (subject: string) => ({ authorization: `Bearer ${await keel.issuer.sign({ tenantId, userId: subject })}` });
    const notes = await keel.app.inject({ method: 'PATCH', url: `/api/v1/orders/${orderId}`, headers: await as(bob.subject), payload: { notes: 'Gift wrap', version: 1 } });
    expect(notes.statusCode, notes.body).toBe(200);
    const moved = await keel.app.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/status`, headers: await as(ada.subject), payload: { status: 'CONFIRMED', version: 2 } });
    expect(moved.statusCode, moved.body).toBe(200);
    // Order creation's event may still be on its way: the two changes are picked out by version.
    const updates = [];
    while (updates.length < 2) {
      const update = await ada.client.nextUpdate();
      if (update.orderId === orderId && update.version > 1) updates.push(update);
    }
    expect(updates.toSorted((a, b) => a.version - b.version).map(({ type, version, by }) => ({ type, version, by }))).toEqual([
      { type: 'order.changed', version: 2, by: bob.subject },
      { type: 'order.status_changed', version: 3, by: ada.subject },
    ]);
  });
});

describe('RT-035 presence across instances', () => {
  let second: ComposedKeel;
  let secondUrl: string;

  beforeAll(async () => {
    // A second regional instance on the same database, clock and token issuer (another KEEL_ROLE=regional process would be the same).
    const config = loadConfig({ NODE_ENV: 'test', KEEL_ROLE: 'regional', CENTRAL_URL: keel.url, KEEL_REGION_CREDENTIAL: REGION_CREDENTIAL, CENTRAL_JWKS_URL: keel.issuer.jwksUrl, LOG_LEVEL: 'silent', ...ENV });
    const logger = createLogger({ level: 'silent' });
    second = await composeKeel({ config, logger, reporter: createLogReporter(logger), clock: keel.clock, regionalDatabase: keel.databases.regional });
    secondUrl = await second.app.listen({ host: '127.0.0.1', port: 0 });
    await second.start();
  });

  afterAll(async () => {
    closeAll();
    await second?.close();
  });

  it('RT-035 members on two instances see each other in one list, and an entry left by a dead instance expires and is swept', async () => {
    const { tenantId, orderId } = await tenantWithOrder(keel, owner);
    const room = `order:${orderId}`;
    const [ada, bob] = [await member(tenantId, keel.url), await member(tenantId, secondUrl)];
    await ada.client.emit('presence', { room, activity: 'viewing' });
    await bob.client.emit('presence', { room, activity: 'editing' });
    for (const { seen } of [ada, bob]) await seen.until(room, [viewing(ada.subject), editing(bob.subject)]);

    // What an instance killed mid-session leaves behind: an entry nobody will delete on disconnect.
    const ghost = randomUUID();
    await asTenant(owner, tenantId, (client) => client.query(`insert into presence (tenant_id, room, socket_id, subject, activity, expires_at) values ($1, $2, 'dead-socket', $3, 'viewing', $4)`, [tenantId, room, ghost, new Date(keel.clock.now().getTime() + TTL_MS)]), 'commit');
    // Ada starts editing: the list sent then (from the database) holds the ghost too.
    await ada.client.emit('presence', { room, activity: 'editing' });
    for (const { seen } of [ada, bob]) await seen.until(room, [editing(ada.subject), editing(bob.subject), viewing(ghost)]);

    keel.clock.advance(TTL_MS - 10_000);
    for (const { client } of [ada, bob]) await client.emit('presence', { room, activity: 'editing' });
    keel.clock.advance(10_001);
    for (const { seen } of [ada, bob]) await seen.until(room, [editing(ada.subject), editing(bob.subject)]);
    expect((await presenceRows(owner, tenantId)).map((row) => row.subject)).not.toContain(ghost);
  });
});
