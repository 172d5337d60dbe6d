import { io, type Socket } from 'socket.io-client';
import type { OrderUpdate } from '../realtime-server.ts';

/** What a board holds of an order: its version, and its status once known. */
export interface HeldOrder {
  version: number;
  status?: string | undefined;
}

/**
 * A client of `/realtime` that behaves as the web board must: it applies an order's event only when
 * its version is newer than the one it holds, and on connecting (unless Socket.IO recovered its
 * session) it loads the orders from the API (`resync`). It counts how often each order version was applied.
 */
export interface BoardReplica {
  socket: Socket;
  orders: Map<string, HeldOrder>;
  /** `<orderId>@<version>` → how many times it was applied (events and resyncs together). */
  applications: Map<string, number>;
  /** Every `order` event received, applied or not. */
  received: OrderUpdate[];
  /** One entry per connection after the first: whether Socket.IO recovered the session. */
  reconnections: boolean[];
  close(): void;
}

export interface BoardReplicaOptions {
  url: string;
  token: string;
  transports: ('polling' | 'websocket')[];
  /** The orders as the API has them now, for a resync. */
  resync(): Promise<{ id: string; version: number; status: string }[]>;
  /** Reconnect by itself after a drop (default true). */
  reconnection?: boolean;
}

export async function connectBoardReplica(options: BoardReplicaOptions): Promise<BoardReplica> {
  const socket = io(options.url, {
    path: '/realtime',
    transports: options.transports,
    // Node's client keeps cookies (HAProxy's sticky one) only with credentials on.
    withCredentials: true,
    auth: { token: options.token },
    reconnection: options.reconnection ?? true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    forceNew: true,
  });
  let closed = false;
  const replica: BoardReplica = {
    socket,
    orders: new Map(),
    applications: new Map(),
    received: [],
    reconnections: [],
    close: () => {
      closed = true;
      socket.close();
    },
  };
  const apply = (orderId: string, version: number, status: string | undefined) => {
    const held = replica.orders.get(orderId);
    // The same version read again may say the status a notes change did not (not a new application).
    if (held?.version === version && held.status === undefined) held.status = status;
    if (held && held.version >= version) return;
    replica.orders.set(orderId, { version, status: status ?? held?.status });
    const key = `${orderId}@${version}`;
    replica.applications.set(key, (replica.applications.get(key) ?? 0) + 1);
  };
  // A failed read (an instance dying under the load balancer) is tried again, as a board would.
  const resync = (): void =>
    void options.resync().then(
      (orders) => orders.forEach((order) => apply(order.id, order.version, order.status)),
      () => {
        if (!closed) setTimeout(resync, 100);
      },
    );
  socket.on('order', (update: OrderUpdate) => {
    replica.received.push(update);
    apply(update.orderId, update.version, update.status);
    // A change of notes says no status: an order first seen that way is read from the API.
    if (replica.orders.get(update.orderId)?.status === undefined) resync();
  });
  let connections = 0;
  socket.on('connect', () => {
    connections += 1;
    if (connections > 1) replica.reconnections.push(socket.recovered);
    // A board loads the list when it connects; on a recovered session it missed nothing.
    if (!socket.recovered) resync();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return replica;
}

/** Whether the replica holds exactly `orders` (version and status of each, nothing else). */
export function holdsExactly(replica: BoardReplica, orders: readonly { id: string; version: number; status: string }[]): boolean {
  return replica.orders.size === orders.length && orders.every((order) => {
    const held = replica.orders.get(order.id);
    return held?.version === order.version && held.status === order.status;
  });
}
