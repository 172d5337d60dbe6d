import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createPostgresQueueDriver } from '@keel/kernel';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';
import { CENTRAL_EVENTS_QUEUE } from '../central-feed/central-events-queue.ts';
import { connectBoardReplica, holdsExactly, type BoardReplica } from './test/board-replica.ts';
import { startKeelCluster, type KeelCluster } from './test/keel-cluster.ts';
import { nextConnectError } from '../../../../test/support/realtime-client.ts';

/**
 * The three traps of Socket.IO behind a load balancer, with real processes: two regional instances
 * per adapter (`keel start`), real HAProxy (the configuration `keel cluster` writes), real
 * redis-server. Events come from order changes through the API, fanned out by whichever instance's
 * consumer receives them.
 */
let redisCluster: KeelCluster;
let postgresCluster: KeelCluster;
let sticky: string;
let roundRobin: string;
const replicas: BoardReplica[] = [];

interface ApiOrder {
  id: string;
  version: number;
  status: string;
}

beforeAll(async () => {
  [redisCluster, postgresCluster] = await Promise.all([startKeelCluster({ instances: 2, adapter: 'redis' }), startKeelCluster({ instances: 2, adapter: 'postgres' })]);
  [sticky, roundRobin] = await Promise.all([redisCluster.haproxy('sticky'), redisCluster.haproxy('round-robin')]);
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) replica.close();
  await Promise.all([redisCluster?.stop(), postgresCluster?.stop()]);
});

describe('RT-014 long-polling needs stickiness; WebSocket alone does not', () => {
  it('RT-014 through round-robin, a polling session is unknown to the other instance (400 "Session ID unknown") and the client fails to connect', async () => {
    const handshake = await fetch(`${roundRobin}/realtime/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    const { sid } = JSON.parse((await handshake.text()).slice(1)) as { sid: string };
    const next = await fetch(`${roundRobin}/realtime/?EIO=4&transport=polling&sid=${sid}`);
    expect(next.status).toBe(400);
    expect(await next.json()).toEqual({ code: 1, message: 'Session ID unknown' });

    const socket = io(roundRobin, { path: '/realtime', transports: ['polling'], auth: { token: await redisCluster.token() }, reconnection: false, forceNew: true });
    try {
      expect((await nextConnectError(socket)).message).toMatch(/^xhr (poll|post) error$/);
    } finally {
      socket.close();
    }
  });

  it('RT-014 through cookie stickiness, a polling client connects and stays on its instance over several events', async () => {
    const replica = await replicaOf(redisCluster, sticky, ['polling']);
    const engineId = replica.socket.io.engine.id;
    const [order] = await createOrders(redisCluster, sticky, 1);
    for (const notes of ['first', 'second', 'third']) await changeNotes(redisCluster, sticky, order!.id, notes);
    await untilReplicasHold([replica], await ordersInDatabase(redisCluster));
    await waitUntil(async () => replica.received.length === 4);
    // Messaging promises no order: the events may come in any.
    expect(replica.received.map((update) => update.version).toSorted()).toEqual([1, 2, 3, 4]);
    expect(replica.socket.io.engine.transport.name).toBe('polling');
    expect(replica.socket.io.engine.id).toBe(engineId);
    expect(replica.reconnections).toEqual([]);
  });

  it('RT-014 WebSocket-only clients connect through round-robin and receive events', async () => {
    const replica = await replicaOf(redisCluster, roundRobin, ['websocket']);
    const [order] = await createOrders(redisCluster, roundRobin, 1);
    await waitUntil(async () => replica.orders.get(order!.id)?.version === 1);
    expect(replica.socket.io.engine.transport.name).toBe('websocket');
  });
});

describe('RT-011 an event reaches the sockets of every instance, whichever instance sends it', () => {
  it.each([['redis'], ['postgres']] as const)('RT-011 with the %s adapter, clients of both instances receive the events of changes made through either', async (adapter) => {
    const cluster = adapter === 'redis' ? redisCluster : postgresCluster;
    const [first, second] = cluster.instances;
    // Clients on both instances: whichever instance's consumer takes an event, the other's clients get it through the adapter.
    const onFirst = await replicaOf(cluster, first!.url, ['websocket']);
    const onSecond = await replicaOf(cluster, second!.url, ['websocket']);
    const [throughFirst] = await createOrders(cluster, first!.url, 1);
    const [throughSecond] = await createOrders(cluster, second!.url, 1);
    await changeNotes(cluster, first!.url, throughSecond!.id, 'changed on the first');
    await changeNotes(cluster, second!.url, throughFirst!.id, 'changed on the second');
    const expected = await ordersInDatabase(cluster);
    await untilReplicasHold([onFirst, onSecond], expected);
    expect(onFirst.reconnections).toEqual([]);
    expect(onSecond.reconnections).toEqual([]);
  });
});

describe('RT-004 a revocation across instances', () => {
  it("RT-004 with a shared adapter, the instance that applies tokens.revoked cuts the subject's sockets on every instance; a colleague's stay", async () => {
    const cluster = redisCluster;
    const subject = randomUUID();
    const token = await cluster.issuer.sign({ tenantId: cluster.tenantId, userId: subject });
    const connectTo = async (url: string, socketToken: string) => {
      const socket = io(url, { path: '/realtime', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: socketToken } });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    };
    const sockets = await Promise.all(cluster.instances.map((instance) => connectTo(instance.url, token)));
    const colleague = await connectTo(cluster.instances[1]!.url, await cluster.token());
    const cut = sockets.map((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)));
    // Central's event as the region's feed subscription queues it: whichever instance's consumer takes it.
    const driver = await createPostgresQueueDriver({ connectionString: cluster.databases.regional.worker, logger: createLogger({ level: 'silent' }), maxTransportAttempts: 3 });
    try {
      const revokedAt = new Date().toISOString();
      const payload = { tenantId: cluster.tenantId, subject, revokedAt, reason: 'member.removed' as const };
      await driver.send(CENTRAL_EVENTS_QUEUE, [{ envelope: { eventId: randomUUID(), type: 'tokens.revoked', tenantId: cluster.tenantId, occurredAt: revokedAt, payload, attempt: 1 } }]);
      expect(await Promise.all(cut)).toEqual(['io server disconnect', 'io server disconnect']);
      expect(colleague.connected).toBe(true);
    } finally {
      for (const socket of [...sockets, colleague]) socket.close();
      await driver.close();
    }
  });
});

describe('RT-015 a client whose transport drops while its instance lives recovers the events it missed (Redis Streams)', () => {
  it('RT-015 reconnects with recovered === true and receives the missed events, each applied once, ending with the database state', async () => {
    const watcher = await replicaOf(redisCluster, redisCluster.instances[0]!.url, ['websocket']);
    const replica = await replicaOf(redisCluster, sticky, ['websocket']);
    const [order] = await createOrders(redisCluster, sticky, 1);
    await waitUntil(async () => replica.orders.get(order!.id)?.version === 1);
    const receivedBefore = replica.received.length;

    replica.socket.io.reconnection(false);
    const dropped = new Promise((resolve) => replica.socket.once('disconnect', resolve));
    replica.socket.io.engine.close();
    expect(await dropped).toBe('forced close');
    for (const notes of ['missed 1', 'missed 2', 'missed 3']) await changeNotes(redisCluster, sticky, order!.id, notes);
    // The changes were sent (another client has them) while this one was away.
    await waitUntil(async () => watcher.orders.get(order!.id)?.version === 4);

    replica.socket.io.reconnection(true);
    replica.socket.connect();
    await waitUntil(async () => replica.reconnections.length === 1 && replica.orders.get(order!.id)?.version === 4);
    expect(replica.reconnections).toEqual([true]);
    expect(replica.received.slice(receivedBefore).map((update) => update.version).toSorted()).toEqual([2, 3, 4]);
    expect(holdsExactly(replica, await ordersInDatabase(redisCluster))).toBe(true);
    expectEachVersionAppliedOnce(replica);
  });
});

describe('RT-016 when an instance dies, its clients reconnect to a survivor and resync by version', () => {
  it('RT-016 SIGKILL of one instance while events flow: every client ends with exactly the database state, no version applied twice', async () => {
    const orders = await createOrders(redisCluster, sticky, 3);
    // Round-robin places the clients on both instances (the cookie then keeps each where it is).
    const clients = await Promise.all(Array.from({ length: 4 }, () => replicaOf(redisCluster, sticky, ['websocket'])));
    const victim = redisCluster.instances[1]!;

    const versions = new Map(orders.map((order) => [order.id, order.version]));
    const changes = (async () => {
      for (let round = 0; round < 8; round += 1) {
        for (const order of orders) {
          const answer = await redisCluster.api(sticky, 'PATCH', `/orders/${order.id}`, { notes: `round ${round}`, version: versions.get(order.id) }).catch(() => undefined);
          // A request caught by the kill may have committed or not: read the version back.
          if (answer?.status === 200) versions.set(order.id, (answer.body as ApiOrder).version);
          else versions.set(order.id, ((await redisCluster.api(redisCluster.instances[0]!.url, 'GET', `/orders/${order.id}`)).body as ApiOrder).version);
        }
        if (round === 2) victim.kill();
      }
    })();
    await changes;
    await victim.closed;

    const expected = await ordersInDatabase(redisCluster);
    await untilReplicasHold(clients, expected);
    const cut = clients.filter((client) => client.reconnections.length > 0);
    expect(cut.length).toBeGreaterThan(0);
    // The killed instance saved no session: its clients resynced from the API instead.
    for (const client of cut) expect(client.reconnections).toEqual([false]);
    for (const client of clients) expectEachVersionAppliedOnce(client);
  });
});

// ---------------------------------------------------------------------------------------------

async function replicaOf(cluster: KeelCluster, url: string, transports: ('polling' | 'websocket')[]): Promise<BoardReplica> {
  const replica = await connectBoardReplica({ url, token: await cluster.token(), transports, resync: () => ordersInDatabase(cluster) });
  replicas.push(replica);
  return replica;
}

/** The tenant's orders as the API has them, through the first instance (the one no test kills). */
async function ordersInDatabase(cluster: KeelCluster): Promise<ApiOrder[]> {
  const answer = await cluster.api(cluster.instances[0]!.url, 'GET', '/orders?limit=200');
  return (answer.body as { items: ApiOrder[] }).items.map(({ id, version, status }) => ({ id, version, status }));
}

async function createOrders(cluster: KeelCluster, url: string, count: number): Promise<ApiOrder[]> {
  const store = await cluster.api(url, 'POST', '/stores', { name: `Store ${randomUUID().slice(0, 8)}` });
  const product = await cluster.api(url, 'POST', '/products', { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Widget', priceMinor: 1500 });
  expect([store.status, product.status]).toEqual([201, 201]);
  const created: ApiOrder[] = [];
  for (let index = 0; index < count; index += 1) {
    const answer = await cluster.api(url, 'POST', '/orders', {
      storeId: (store.body as { id: string }).id,
      customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      lines: [{ productId: (product.body as { id: string }).id, quantity: 1 }],
    });
    expect(answer.status).toBe(201);
    created.push(answer.body as ApiOrder);
  }
  return created;
}

async function changeNotes(cluster: KeelCluster, url: string, orderId: string, notes: string): Promise<void> {
  const current = await cluster.api(url, 'GET', `/orders/${orderId}`);
  const answer = await cluster.api(url, 'PATCH', `/orders/${orderId}`, { notes, version: (current.body as ApiOrder).version });
  expect(answer.status).toBe(200);
}

/** Waits until every replica is connected and holds exactly `expected`; after 15 s, fails showing what they hold. */
async function untilReplicasHold(replicas: readonly BoardReplica[], expected: readonly ApiOrder[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  const holding = () => replicas.every((replica) => replica.socket.connected && holdsExactly(replica, expected));
  while (!holding()) {
    if (Date.now() > deadline) {
      const held = replicas.map((replica) => ({ connected: replica.socket.connected, orders: [...replica.orders], received: replica.received }));
      throw new Error(`replicas do not hold ${JSON.stringify(expected)}: ${JSON.stringify(held)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function expectEachVersionAppliedOnce(replica: BoardReplica): void {
  expect([...replica.applications.values()].every((count) => count === 1)).toBe(true);
}
