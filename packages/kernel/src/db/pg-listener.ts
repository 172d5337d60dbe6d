import pg from 'pg';
import type { Logger } from '../logging/logger.ts';

/** The longest pause between two reconnection attempts. */
export const PG_LISTENER_MAX_RECONNECT_DELAY_MS = 30_000;

export interface PgListenerOptions {
  url: string;
  channel: string;
  /** Shown in pg_stat_activity, e.g. `keel-outbox-relay`. */
  applicationName: string;
  logger: Logger;
  onNotification: (payload: string | undefined) => void;
  /**
   * Called each time LISTEN is in place again after the connection was lost. Notifications sent
   * while it was lost are gone: callers catch up here (the relays wake, the long polls answer).
   */
  onReconnect?: () => void;
  /** The pause before the second reconnection attempt (the first is immediate); it doubles up to 30 s. Default 500 ms. */
  reconnectDelayMs?: number;
}

export interface PgListener {
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

/**
 * A LISTEN on a connection of its own that survives the database: when the connection fails or
 * ends (a restart, a terminated backend), it connects and LISTENs again, immediately and then with
 * a doubling pause (capped at 30 s), until it succeeds or is closed. An outage is logged once
 * (warn), its end once (info); each failed attempt only at debug. Resolves once the first LISTEN
 * is in place (and rejects when that fails: a process does not start without its database).
 */
export async function createPgListener(options: PgListenerOptions): Promise<PgListener> {
  const { channel, logger } = options;
  const firstDelayMs = options.reconnectDelayMs ?? 500;
  const maxDelayMs = Math.max(firstDelayMs, PG_LISTENER_MAX_RECONNECT_DELAY_MS);
  let current: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  /** The reconnection attempt in progress, which close() waits for. */
  let attempt: Promise<void> | undefined;
  let failedAttempts = 0;

  async function listen(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: options.url,
      application_name: options.applicationName,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // A peer that vanished without closing the connection is noticed too, eventually.
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
    });
    // Until it is `current`, a client's errors and end are this attempt's, handled by its rejection.
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client, undefined));
    client.on('notification', (message) => {
      if (message.channel === channel) options.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(channel)}`);
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  function lost(client: pg.Client, error: Error | undefined): void {
    if (client !== current || closed) return;
    current = undefined;
    client.end().catch(() => {});
    logger.warn({ err: error, channel }, 'LISTEN connection lost; reconnecting');
    failedAttempts = 0;
    attempt = reconnect();
  }

  async function reconnect(): Promise<void> {
    timer = undefined;
    if (closed) return;
    try {
      const client = await listen();
      if (closed) {
        await client.end().catch(() => {});
        return;
      }
      current = client;
      logger.info({ channel, failedAttempts }, 'LISTEN connection restored');
      options.onReconnect?.();
    } catch (error) {
      if (closed) return;
      failedAttempts += 1;
      const delayMs = Math.min(maxDelayMs, firstDelayMs * 2 ** (failedAttempts - 1));
      logger.debug({ err: error, channel, failedAttempts, delayMs }, 'LISTEN reconnection failed; trying again');
      timer = setTimeout(() => {
        attempt = reconnect();
      }, delayMs);
    }
  }

  current = await listen();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await attempt;
      await current?.end().catch(() => {});
      current = undefined;
    },
  };
}
