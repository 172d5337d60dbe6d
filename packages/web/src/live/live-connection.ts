import { io, type Socket } from 'socket.io-client';
import type { AccessToken } from '../api/types.ts';

/** connecting: never connected yet; live: connected; reconnecting: connected before, not now. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';
export type Activity = 'viewing' | 'editing';

/** One person in a room (specs/realtime.md RT-030): a user id, or `apikey:<id>`. */
export interface PresenceMember {
  subject: string;
  activity: Activity;
}

/** The server's `order` event (RT-006): apply it only when `version` is newer than the one shown. */
export interface OrderUpdate {
  type: string;
  orderId: string;
  number: number;
  status?: string;
  version: number;
  by?: string;
}

/** The server's `import` event (UPL-021): an import's state after a committed batch. */
export interface ImportUpdate {
  importId: string;
  state: string;
  progress: number;
  rowsImported: number;
  rowsRejected: number;
  failureCode: string | null;
  version: number;
}

export interface NotesChange {
  version: number;
  by: string;
}

/** A place this page is in (`board`, `order:<id>`), and what it does there; `leave` when it goes. */
export interface RoomHandle {
  setActivity(activity: Activity): void;
  leave(): void;
}

export interface LiveConnection {
  status(): LiveStatus;
  /** The room's last list, or undefined before the first. */
  members(room: string): readonly PresenceMember[] | undefined;
  /** The last notes change of the order this connection saw (`order.changed`): its version and who made it. */
  notesChange(orderId: string): NotesChange | undefined;
  /** Any change of status, members or last changes. */
  subscribe(listener: () => void): () => void;
  onOrder(listener: (update: OrderUpdate) => void): () => void;
  onImport(listener: (update: ImportUpdate) => void): () => void;
  /** After every reconnect (not the first connect): what was shown may be stale. */
  onReconnect(listener: () => void): () => void;
  enter(room: string, activity: Activity): RoomHandle;
  close(): void;
}

export interface LiveConnectionOptions {
  /** The tenant's token; `refused` is one the server refused, never to be given again. */
  token(refused?: string): Promise<AccessToken>;
  /** Socket.IO's URL: the page's own origin (the edge routes `/realtime` to the tenant's region). */
  url?: string;
  /**
   * The tenant's home region, sent as `?region=`: a separate edge routes `/realtime` by it, as the
   * token travels in the handshake's `auth`, which the edge never sees (RT-017).
   */
  region?: string;
  now?: () => number;
}

/** Until the first acknowledgement says otherwise (a third of the default 30 s TTL). */
const DEFAULT_HEARTBEAT_MS = 10_000;
/** A token is renewed on the open socket this long before it expires. */
const REAUTHENTICATE_BEFORE_MS = 60_000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

/**
 * One Socket.IO connection to a tenant's `/realtime` (specs/web.md WEB-070..): authenticated with
 * the tenant's token (a fresh one on every connection attempt), renewed on the open socket before it
 * expires, reconnected whatever cut it. The rooms entered are announced again on every connect and
 * every heartbeat, so presence survives reconnects and instance deaths.
 */
export function createLiveConnection(options: LiveConnectionOptions): LiveConnection {
  const now = options.now ?? Date.now;
  const listeners = new Set<() => void>();
  const orderListeners = new Set<(update: OrderUpdate) => void>();
  const importListeners = new Set<(update: ImportUpdate) => void>();
  const reconnectListeners = new Set<() => void>();
  const lists = new Map<string, readonly PresenceMember[]>();
  const notesBy = new Map<string, NotesChange>();
  /** Per room, the activity of each handle on it: the room's activity is `editing` when any edits. */
  const rooms = new Map<string, Map<object, Activity>>();
  let status: LiveStatus = 'connecting';
  let everConnected = false;
  let current: AccessToken | undefined;
  let refused: string | undefined;
  let heartbeatMs = DEFAULT_HEARTBEAT_MS;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let renewal: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = RETRY_MIN_MS;
  let closed = false;

  const socket: Socket = io(options.url ?? '', {
    path: '/realtime',
    ...(options.region === undefined ? {} : { query: { region: options.region } }),
    autoConnect: false,
    reconnectionDelay: RETRY_MIN_MS,
    reconnectionDelayMax: RETRY_MAX_MS,
    auth: (send) => {
      options.token(refused).then(
        (token) => {
          current = token;
          send({ token: token.token });
        },
        // No token (central unreachable, membership ended): the server refuses, and we try again later.
        () => send({}),
      );
    },
  });

  const notify = () => {
    for (const listener of listeners) listener();
  };
  const setStatus = (next: LiveStatus) => {
    if (status === next) return;
    status = next;
    notify();
  };

  function activityOf(room: string): Activity {
    return [...(rooms.get(room)?.values() ?? [])].includes('editing') ? 'editing' : 'viewing';
  }

  function announce(room: string): void {
    if (!socket.connected) return;
    socket.emit('presence', { room, activity: activityOf(room) }, (answer: { heartbeatMs?: number } | undefined) => {
      if (answer?.heartbeatMs !== undefined && answer.heartbeatMs !== heartbeatMs) {
        heartbeatMs = answer.heartbeatMs;
        startHeartbeat();
      }
    });
  }

  function startHeartbeat(): void {
    clearInterval(heartbeat);
    heartbeat = setInterval(() => {
      for (const room of rooms.keys()) announce(room);
    }, heartbeatMs);
  }

  /** Renews the token on the open socket a minute before it expires (RT-003); a refusal reconnects. */
  function scheduleRenewal(): void {
    clearTimeout(renewal);
    if (current === undefined) return;
    const token = current;
    renewal = setTimeout(
      () => {
        options
          .token(token.token)
          .then((fresh) => socket.timeout(10_000).emitWithAck('reauthenticate', { token: fresh.token }).then((answer: { error?: unknown }) => ({ fresh, answer })))
          .then(({ fresh, answer }) => {
            if (answer.error !== undefined) throw new Error('reauthentication refused');
            current = fresh;
            scheduleRenewal();
          })
          .catch(() => {
            // The socket is cut and opened again: the handshake takes a fresh token.
            refused = token.token;
            socket.disconnect();
            socket.connect();
          });
      },
      Math.max(0, Date.parse(token.expiresAt) - REAUTHENTICATE_BEFORE_MS - now()),
    );
  }

  function retryLater(): void {
    clearTimeout(retry);
    retry = setTimeout(() => {
      if (!closed && !socket.connected) socket.connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  socket.on('connect', () => {
    refused = undefined;
    retryDelay = RETRY_MIN_MS;
    const reconnect = everConnected;
    everConnected = true;
    setStatus('live');
    for (const room of rooms.keys()) announce(room);
    startHeartbeat();
    scheduleRenewal();
    if (reconnect) for (const listener of reconnectListeners) listener();
  });

  socket.on('disconnect', (reason) => {
    clearInterval(heartbeat);
    clearTimeout(renewal);
    if (closed) return;
    setStatus(everConnected ? 'reconnecting' : 'connecting');
    // The server cut it (token expired, member removed): Socket.IO does not come back on its own.
    if (reason === 'io server disconnect') {
      refused = current?.token;
      retryLater();
    }
  });

  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (closed) return;
    // Refused by the server (not a network failure, which Socket.IO retries itself): retry with a fresh token.
    if (!socket.active) {
      if (error.data?.code === 'AUTH_TOKEN_EXPIRED' || error.data?.code === 'AUTH_TOKEN_REVOKED') refused = current?.token;
      retryLater();
    }
  });

  socket.on('order', (update: OrderUpdate) => {
    if (update.type === 'order.changed' && update.by !== undefined && (notesBy.get(update.orderId)?.version ?? 0) < update.version) {
      notesBy.set(update.orderId, { version: update.version, by: update.by });
      notify();
    }
    for (const listener of orderListeners) listener(update);
  });

  socket.on('import', (update: ImportUpdate) => {
    for (const listener of importListeners) listener(update);
  });

  socket.on('presence', (update: { room: string; members: PresenceMember[] }) => {
    lists.set(update.room, update.members);
    notify();
  });

  socket.connect();

  const subscribeTo = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => void set.delete(listener);
  };

  return {
    status: () => status,
    members: (room) => lists.get(room),
    notesChange: (orderId) => notesBy.get(orderId),
    subscribe: (listener) => subscribeTo(listeners, listener),
    onOrder: (listener) => subscribeTo(orderListeners, listener),
    onImport: (listener) => subscribeTo(importListeners, listener),
    onReconnect: (listener) => subscribeTo(reconnectListeners, listener),
    enter(room, activity) {
      const handle = {};
      const handles = rooms.get(room) ?? new Map<object, Activity>();
      rooms.set(room, handles);
      const before = handles.size === 0 ? undefined : activityOf(room);
      handles.set(handle, activity);
      if (activityOf(room) !== before) announce(room);
      return {
        setActivity(next) {
          if (!handles.has(handle)) return;
          const previous = activityOf(room);
          handles.set(handle, next);
          if (activityOf(room) !== previous) announce(room);
        },
        leave() {
          if (!handles.delete(handle)) return;
          if (handles.size > 0) {
            announce(room);
            return;
          }
          rooms.delete(room);
          lists.delete(room);
          if (socket.connected) socket.emit('leave', { room }, () => undefined);
          notify();
        },
      };
    },
    close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(renewal);
      clearTimeout(retry);
      socket.disconnect();
    },
  };
}
