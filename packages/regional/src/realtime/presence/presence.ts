import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ValidationFailedError, runWithContext, type Clock, type Database, type ErrorReporter, type Logger, type RealtimePresenceConfig, type TenantTransaction, type WithTenant } from '@keel/kernel';
import { RealtimeRoomForbiddenError } from '../errors.ts';
import { authorizeRoom, boardRoom, isJoinableRoom } from '../rooms.ts';
import { deleteEntriesOf, deleteExpired, membersOf, roomsWithExpiredEntries, upsertEntry, type PresenceMember } from './presence-store.ts';

/** The server's `presence` event: everyone in a room now, sent to the room whenever that changes. */
export interface PresenceUpdate {
  room: string;
  members: PresenceMember[];
}

/** What presence needs of a socket: who it is, and its rooms. */
export interface PresenceSocket {
  id: string;
  connected: boolean;
  data: { tenantId: string; subject: string };
  rooms: Set<string>;
  join(room: string): Promise<void> | void;
  leave(room: string): Promise<void> | void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface PresenceOptions extends RealtimePresenceConfig {
  withTenant: WithTenant;
  /** The worker role: the sweep finds expired entries of every tenant. */
  workerDatabase: Database;
  clock: Clock;
  /** Sends to the sockets of rooms (of every instance when the adapter is shared). */
  broadcast(rooms: readonly string[], event: string, payload: unknown): void;
  /** The error's code for an acknowledgement (reporting it when it should be). */
  errorCode(error: unknown): string;
  logger: Logger;
  reporter: ErrorReporter;
}

export interface Presence {
  /** Handles the socket's `presence` and `leave`, and removes its entries when it disconnects. */
  serve(socket: PresenceSocket): void;
  /** Starts this instance's sweep of expired entries (entries of instances that died). */
  start(): void;
  /** Stops the sweep and waits for the work in flight (the entries of sockets just disconnected). */
  stop(): Promise<void>;
}

const presenceRequest = z.object({ room: z.string().max(100), activity: z.enum(['viewing', 'editing']) });
const leaveRequest = z.object({ room: z.string().max(100) });
/** Expired rooms handled per sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/**
 * Who is on the tenant's board (`board`), a store's (`store:<id>`) or an order's (`order:<id>`)
 * room, across instances: entries live in the regional database, one per socket and room, for
 * `ttlMs` after the socket's last `presence` (clients send it every `heartbeatMs`). A change of a
 * room's list is broadcast to the room as `presence` {room, members}.
 */
export function createPresence(options: PresenceOptions): Presence {
  const heartbeatMs = Math.floor(options.ttlMs / 3);
  const inFlight = new Set<Promise<unknown>>();
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping = false;

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  const socketRoom = (tenantId: string, room: string): string => (room === 'board' ? boardRoom(tenantId) : room);

  /** The room's Socket.IO room once the socket may be there: the board always, a store or an order of its tenant. */
  async function authorize(socket: PresenceSocket, room: string): Promise<string> {
    if (room === 'board') return boardRoom(socket.data.tenantId);
    // Already joined (so authorized): a heartbeat costs no lookup.
    if (isJoinableRoom(room) && socket.rooms.has(room)) return room;
    return authorizeRoom(options.withTenant, socket.data.tenantId, { room });
  }

  /** Makes a change in one tenant transaction, then sends the new list of every room it says changed. */
  async function publish(tenantId: string, change: (tx: TenantTransaction, tenantId: string) => Promise<string[]>): Promise<void> {
    const now = options.clock.now();
    const lists = await runWithContext({ requestId: randomUUID(), tenantId }, () =>
      options.withTenant(async (tx, tenant) => {
        const changed = await change(tx, tenant);
        return changed.length === 0 ? new Map<string, PresenceMember[]>() : membersOf(tx, tenant, changed, now);
      }),
    );
    for (const [room, members] of lists) options.broadcast([socketRoom(tenantId, room)], 'presence', { room, members } satisfies PresenceUpdate);
  }

  async function announce(socket: PresenceSocket, request: unknown): Promise<{ room: string; heartbeatMs: number }> {
    const parsed = presenceRequest.safeParse(request);
    if (!parsed.success) {
      if (typeof request === 'object' && request !== null && 'room' in request && typeof request.room === 'string') throw new ValidationFailedError({ details: [{ path: 'activity', rule: 'invalid_value' }] });
      throw new RealtimeRoomForbiddenError();
    }
    const { room, activity } = parsed.data;
    const ioRoom = await authorize(socket, room);
    await socket.join(ioRoom);
    const { tenantId, subject } = socket.data;
    const now = options.clock.now();
    const expiresAt = new Date(now.getTime() + options.ttlMs);
    await publish(tenantId, async (tx, tenant) => ((await upsertEntry(tx, tenant, { room, socketId: socket.id, subject, activity, expiresAt }, now)) ? [room] : []));
    // Disconnected while this was written: its entries go now rather than at expiry.
    if (!socket.connected) await forget(socket);
    return { room, heartbeatMs };
  }

  async function leave(socket: PresenceSocket, request: unknown): Promise<{ room: string }> {
    const parsed = leaveRequest.safeParse(request);
    const room = parsed.success ? parsed.data.room : undefined;
    if (room === undefined || (room !== 'board' && !isJoinableRoom(room))) throw new RealtimeRoomForbiddenError();
    await socket.leave(socketRoom(socket.data.tenantId, room));
    await publish(socket.data.tenantId, (tx, tenant) => deleteEntriesOf(tx, tenant, socket.id, room));
    return { room };
  }

  function forget(socket: PresenceSocket): Promise<void> {
    return publish(socket.data.tenantId, (tx, tenant) => deleteEntriesOf(tx, tenant, socket.id));
  }

  async function sweep(): Promise<void> {
    const now = options.clock.now();
    const expired = await roomsWithExpiredEntries(options.workerDatabase, now, SWEEP_BATCH);
    // Every instance sweeps: the one whose DELETE removed an entry announces the room's new list.
    for (const [tenantId, rooms] of expired) await publish(tenantId, (tx, tenant) => deleteExpired(tx, tenant, rooms, now));
  }

  function acknowledged(socket: PresenceSocket, event: string, handle: (socket: PresenceSocket, request: unknown) => Promise<unknown>): void {
    socket.on(event, (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      track(handle(socket, request)).then(
        (answer) => ack(answer),
        (error: unknown) => ack({ error: { code: options.errorCode(error) } }),
      );
    });
  }

  return {
    serve(socket) {
      acknowledged(socket, 'presence', announce);
      acknowledged(socket, 'leave', leave);
      socket.on('disconnect', () => {
        track(forget(socket)).catch((error: unknown) => options.errorCode(error));
      });
    },
    start() {
      sweepTimer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        track(sweep())
          .catch((error: unknown) => {
            options.logger.warn({ err: error }, 'presence sweep failed');
            options.errorCode(error);
          })
          .finally(() => (sweeping = false));
      }, options.sweepIntervalMs);
      sweepTimer.unref();
    },
    async stop() {
      clearInterval(sweepTimer);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
