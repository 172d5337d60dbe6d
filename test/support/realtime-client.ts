import { io, type Socket } from 'socket.io-client';
import type { OrderUpdate } from '../../packages/regional/src/realtime/realtime-server.ts';

/** A socket.io-client connection to a Keel's `/realtime`, with the order events it received in order. */
export interface RealtimeClient {
  socket: Socket;
  /** The next `order` event not yet taken (waits for it). */
  nextUpdate(): Promise<OrderUpdate>;
  /** Resolves with the reason once the socket is disconnected. */
  disconnected: Promise<string>;
  emit<Answer>(event: string, body: unknown): Promise<Answer>;
  close(): void;
}

export interface Refusal {
  message: string;
  data: unknown;
}

const open = new Set<Socket>();

/** Opens a socket with `auth: {token}` (or no auth at all) over WebSocket; `reconnection` is off unless asked. */
function socketTo(url: string, token: string | undefined, reconnection: boolean): Socket {
  const socket = io(url, { path: '/realtime', transports: ['websocket'], reconnection, reconnectionDelay: 50, reconnectionDelayMax: 100, forceNew: true, ...(token === undefined ? {} : { auth: { token } }) });
  open.add(socket);
  return socket;
}

export async function connect(url: string, token: string, options: { reconnection?: boolean } = {}): Promise<RealtimeClient> {
  const socket = socketTo(url, token, options.reconnection ?? false);
  const received: OrderUpdate[] = [];
  const waiting: ((update: OrderUpdate) => void)[] = [];
  socket.on('order', (update: OrderUpdate) => {
    const waiter = waiting.shift();
    if (waiter) waiter(update);
    else received.push(update);
  });
  const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return {
    socket,
    disconnected,
    nextUpdate: () => {
      const update = received.shift();
      return update ? Promise.resolve(update) : new Promise((resolve) => waiting.push(resolve));
    },
    emit: <Answer>(event: string, body: unknown) => socket.emitWithAck(event, body) as Promise<Answer>,
    close: () => socket.close(),
  };
}

/** The `connect_error` of a handshake the server refuses. */
export async function refusal(url: string, token: string | undefined): Promise<Refusal> {
  const socket = socketTo(url, token, false);
  try {
    return await nextConnectError(socket);
  } finally {
    socket.close();
  }
}

export function nextConnectError(socket: Socket): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the handshake was accepted')));
    socket.once('connect_error', (error: Error & { data?: unknown }) => resolve({ message: error.message, data: error.data }));
  });
}

/** Closes every socket the tests opened. */
export function closeAll(): void {
  for (const socket of open) socket.close();
  open.clear();
}
