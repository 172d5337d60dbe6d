import type { Server as HttpServer } from 'node:http';
import { Server, type DefaultEventsMap, type Socket } from 'socket.io';
import { z } from 'zod';
import {
  ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
  AuthTokenInvalidError,
  AuthTokenMissingError,
  AuthTokenRevokedError,
  CENTRAL_EVENT_TYPES,
  SubscriptionEndedError,
  roleAtLeast,
  tokensRevokedPayload,
  type AccessTokenClaims,
  type AccessTokenVerifier,
} from '@keel/central/contracts';
import { asAppError, defineConsumer, type Clock, type ConsumerDefinition, type ErrorReporter, type Logger, type RealtimeAdapterConfig, type RealtimePresenceConfig, type Database, type TenantRole, type WithTenant } from '@keel/kernel';
import type { RequestVerdictCheck } from '../auth/token-revocations.ts';
import { defineCentralEventConsumer } from '../central-feed/define-central-event-consumer.ts';
import { ORDER_EVENT_TYPES } from '../orders/order-events.ts';
import { openRealtimeAdapter, type RealtimeAdapter } from './adapters.ts';
import { createPresence } from './presence/presence.ts';
import { guardSessionRecovery } from './recovery-guard.ts';
import { adminsRoom, authorizeRoom, orderRoom, subjectRoom, tenantRoom } from './rooms.ts';

export const REALTIME_PATH = '/realtime';
/** The regional queue the realtime fan-out of the region's own events listens on. */
export const REALTIME_QUEUE = 'realtime';

export interface RealtimeOptions {
  verifyAccessToken: AccessTokenVerifier;
  verdictOf: RequestVerdictCheck;
  withTenant: WithTenant;
  clock: Clock;
  /** How often sockets are checked for an expired token. */
  tokenCheckIntervalMs: number;
  /** How events reach the sockets of the other instances (REALTIME_ADAPTER). */
  adapter: RealtimeAdapterConfig;
  /** The regional worker role's URL, for the PostgreSQL adapter. */
  workerUrl: string;
  /** Presence (H2): entries' lifetime after the last heartbeat, and the sweep, on the worker role. */
  presence: RealtimePresenceConfig;
  workerDatabase: Database;
  logger: Logger;
  reporter: ErrorReporter;
}

/** What the server knows of a socket: the claims of the last token it authenticated with. */
interface SocketData {
  tenantId: string;
  subject: string;
  role: TenantRole;
  issuedAt: number;
  expiresAt: number;
}

type RealtimeSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;

/** The event clients receive for an order: the version lets them apply only newer ones. */
export interface OrderUpdate {
  type: string;
  orderId: string;
  number: number;
  status?: string;
  version: number;
  /** Who made the change: the token subject (a user id or `apikey:<id>`); absent on events written before it was recorded. */
  by?: string;
}

export interface Realtime {
  /** The consumers that feed sockets: the region's order events and central's revocations. */
  readonly consumers: readonly ConsumerDefinition<never>[];
  /**
   * Sends `event` to the sockets in `rooms` (across instances when the adapter is shared). For the
   * consumers of committed events only: nothing may reach a socket before its transaction commits.
   */
  broadcast(rooms: readonly string[], event: string, payload: unknown): void;
  /** Serves Socket.IO at `/realtime` on the HTTP server (beside Fastify's routes), connecting its adapter. */
  attach(server: HttpServer): Promise<void>;
  /** Disconnects this instance's sockets, closes the adapter and stops serving; the HTTP server stays Fastify's to close. */
  close(): Promise<void>;
}

const orderEventPayload = z.object({
  orderId: z.string(),
  number: z.number().int(),
  version: z.number().int(),
  status: z.string().optional(),
  to: z.string().optional(),
  by: z.string().optional(),
});

/**
 * Socket.IO on the regional layer. A handshake (and a recovery: middlewares run again) carries the
 * API token in `auth.token`, checked exactly as `/api/v1` checks it; a refusal's message and
 * `data.code` are the error code. Events reach sockets only from the outbox pipeline, so after
 * their transaction committed.
 */
export function createRealtime(options: RealtimeOptions): Realtime {
  let io: Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData> | undefined;
  let checkTimer: NodeJS.Timeout | undefined;
  let adapter: RealtimeAdapter | undefined;
  // Revocations applied on this instance, so that a cut socket cannot come back with its token in the
  // moment before the region's own revocation (another consumer's transaction) commits.
  const revokedUntil = new Map<string, number>();

  async function authenticate(token: unknown): Promise<AccessTokenClaims> {
    if (typeof token !== 'string' || token === '') throw new AuthTokenMissingError();
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new AuthTokenInvalidError();
    const claims = await options.verifyAccessToken(token);
    const verdict = await options.verdictOf(claims);
    if (verdict === 'revoked' || isRevokedHere(claims.tenant_id, claims.sub, claims.iat)) throw new AuthTokenRevokedError();
    if (verdict === 'ended') throw new SubscriptionEndedError();
    return claims;
  }

  function isRevokedHere(tenantId: string, subject: string, issuedAt: number): boolean {
    const until = revokedUntil.get(`${tenantId}:${subject}`);
    return until !== undefined && issuedAt <= until;
  }

  function errorCode(error: unknown): string {
    const appError = asAppError(error);
    if (appError.report) options.reporter.report(appError);
    return appError.code;
  }

  function remember(socket: RealtimeSocket, claims: AccessTokenClaims): void {
    socket.data = { tenantId: claims.tenant_id, subject: claims.sub, role: claims.role, issuedAt: claims.iat, expiresAt: claims.exp };
  }

  /** In the tenant's admins room exactly while its token's role is admin or owner (a fresh token may change it). */
  async function joinRoleRooms(socket: RealtimeSocket): Promise<void> {
    const room = adminsRoom(socket.data.tenantId);
    if (roleAtLeast(socket.data.role, 'admin')) await socket.join(room);
    else await socket.leave(room);
  }

  function onConnection(socket: RealtimeSocket): void {
    const { tenantId, subject } = socket.data;
    void socket.join([tenantRoom(tenantId), subjectRoom(tenantId, subject)]);
    void joinRoleRooms(socket);
    presence.serve(socket);
    socket.on('join', (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      authorizeRoom(options.withTenant, socket.data.tenantId, request)
        .then(async (room) => {
          await socket.join(room);
          ack({ room });
        })
        .catch((error: unknown) => ack({ error: { code: errorCode(error) } }));
    });
    socket.on('reauthenticate', (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const token = typeof request === 'object' && request !== null && 'token' in request ? request.token : undefined;
      authenticate(token).then(
        (claims) => {
          // A fresh token of the same subject in the same tenant; any other would change who the socket is.
          if (claims.tenant_id !== socket.data.tenantId || claims.sub !== socket.data.subject) throw new AuthTokenInvalidError();
          remember(socket, claims);
          void joinRoleRooms(socket);
          ack({ expiresAt: new Date(claims.exp * 1000).toISOString() });
        },
      ).catch((error: unknown) => ack({ error: { code: errorCode(error) } }));
    });
  }

  function cutExpiredSockets(): void {
    const now = options.clock.now().getTime();
    // A revocation older than the longest token lifetime can refuse no token that is still valid.
    for (const [key, until] of revokedUntil) if ((until + ACCESS_TOKEN_MAX_LIFETIME_SECONDS) * 1000 < now) revokedUntil.delete(key);
    if (!io) return;
    for (const socket of io.of('/').sockets.values()) {
      if (socket.data.expiresAt * 1000 <= now) socket.disconnect(true);
    }
  }

  function broadcast(rooms: readonly string[], event: string, payload: unknown): void {
    io?.to([...rooms]).emit(event, payload);
  }

  const presence = createPresence({ ...options.presence, withTenant: options.withTenant, workerDatabase: options.workerDatabase, clock: options.clock, broadcast, errorCode, logger: options.logger, reporter: options.reporter });

  const orderFanOut = defineConsumer({
    name: 'realtime-order-events',
    queue: REALTIME_QUEUE,
    eventTypes: [ORDER_EVENT_TYPES.created, ORDER_EVENT_TYPES.changed, ORDER_EVENT_TYPES.statusChanged],
    payload: orderEventPayload,
    // A redelivery may emit again: clients apply only newer versions.
    async handle({ tenantId, envelope, payload }) {
      const status = payload.status ?? payload.to;
      const update: OrderUpdate = {
        type: envelope.type,
        orderId: payload.orderId,
        number: payload.number,
        ...(status === undefined ? {} : { status }),
        version: payload.version,
        ...(payload.by === undefined ? {} : { by: payload.by }),
      };
      broadcast([tenantRoom(tenantId), orderRoom(payload.orderId)], 'order', update);
    },
  });

  const revocationCut = defineCentralEventConsumer({
    name: 'realtime-token-revocation',
    eventType: CENTRAL_EVENT_TYPES.tokensRevoked,
    payload: tokensRevokedPayload,
    async handle({ tenantId, payload }) {
      // Tokens issued at or before the second of the revocation are revoked (as `keel_request_verdict` says).
      const until = Math.floor(new Date(payload.revokedAt).getTime() / 1000);
      const key = `${tenantId}:${payload.subject}`;
      revokedUntil.set(key, Math.max(until, revokedUntil.get(key) ?? until));
      if (!io) return;
      const sockets = await io.in(subjectRoom(tenantId, payload.subject)).fetchSockets();
      for (const socket of sockets) if (socket.data.issuedAt <= until) socket.disconnect(true);
    },
  });

  return {
    consumers: [orderFanOut, revocationCut] as ConsumerDefinition<never>[],
    broadcast,
    async attach(server) {
      adapter = await openRealtimeAdapter({ config: options.adapter, workerUrl: options.workerUrl, logger: options.logger });
      const server_ = new Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>(server, {
        path: REALTIME_PATH,
        serveClient: false,
        ...(adapter.create ? { adapter: adapter.create } : {}),
        // Recovery needs the adapter to keep what it sent (in memory, or in a Redis stream).
        ...(adapter.recoversConnections ? { connectionStateRecovery: { skipMiddlewares: false } } : {}),
      });
      guardSessionRecovery(server_.of('/'), async (auth) => {
        const claims = await authenticate(auth.token).catch(() => undefined);
        return claims && { tenantId: claims.tenant_id, subject: claims.sub };
      });
      server_.use((socket, next) => {
        const auth: unknown = socket.handshake.auth;
        const token = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
        authenticate(token).then(
          (claims) => {
            remember(socket, claims);
            next();
          },
          (error: unknown) => {
            const code = errorCode(error);
            next(Object.assign(new Error(code), { data: { code } }));
          },
        );
      });
      server_.on('connection', onConnection);
      io = server_;
      checkTimer = setInterval(cutExpiredSockets, options.tokenCheckIntervalMs);
      checkTimer.unref();
      presence.start();
      options.logger.info({ path: REALTIME_PATH, adapter: options.adapter.kind }, 'realtime listening');
    },
    async close() {
      clearInterval(checkTimer);
      const closing = io;
      const closingAdapter = adapter;
      io = undefined;
      adapter = undefined;
      if (closing) {
        closing.local.disconnectSockets(true);
        // The entries of the sockets just cut are deleted (and their rooms told) before the adapter closes.
        await presence.stop();
        // Every namespace's adapter (the shared adapters stop their reads and timers), then the engine.
        await Promise.all([...closing._nsps.values()].map((namespace) => namespace.adapter.close()));
        closing.engine.close();
      }
      await closingAdapter?.close();
    },
  };
}
