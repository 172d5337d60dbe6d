import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import { createPool, type Logger, type RealtimeAdapterConfig } from '@keel/kernel';
import { REALTIME_ATTACHMENTS_TABLE } from './schema.ts';

/** What Socket.IO needs to fan events out across instances, and how to let go of it. */
export interface RealtimeAdapter {
  /** Socket.IO's `adapter` option; undefined: in-memory, this instance only. */
  readonly create: ServerOptions['adapter'] | undefined;
  /** Whether a client whose transport dropped can recover its missed events (on any instance). */
  readonly recoversConnections: boolean;
  /** Closes the adapter's own connections; call after Socket.IO closed its namespaces' adapters. */
  close(): Promise<void>;
}

export interface RealtimeAdapterOptions {
  config: RealtimeAdapterConfig;
  /** The regional worker role's URL: the adapter's table is a system table, not tenant data. */
  workerUrl: string;
  logger: Logger;
}

/** The adapter REALTIME_ADAPTER names; its connections are opened here and closed by `close()`. */
export async function openRealtimeAdapter(options: RealtimeAdapterOptions): Promise<RealtimeAdapter> {
  const { config, logger } = options;
  if (config.kind === 'postgres') {
    // One connection LISTENs for the whole instance; another publishes and reads large payloads.
    const pool = createPool(options.workerUrl, { applicationName: 'keel-regional-realtime', logger, max: 3 });
    return {
      create: createPostgresAdapter(pool, {
        tableName: REALTIME_ATTACHMENTS_TABLE,
        errorHandler: (error: Error) => logger.warn({ err: error }, 'realtime postgres adapter error'),
      }) as ServerOptions['adapter'],
      // The PostgreSQL adapter keeps no history of what it sent.
      recoversConnections: false,
      close: () => pool.end(),
    };
  }
  if (config.kind === 'redis') return openRedisStreamsAdapter(config.url, logger);
  return { create: undefined, recoversConnections: true, close: async () => {} };
}

async function openRedisStreamsAdapter(url: string, logger: Logger): Promise<RealtimeAdapter> {
  const client = createClient({ url });
  client.on('error', (error: unknown) => logger.warn({ err: error }, 'realtime redis connection error'));
  // The adapter reads the stream and subscribes on duplicates of the client, which it ends only after
  // its blocking read returns (up to seconds later): they are kept here to be closed at once.
  const duplicates: ReturnType<typeof client.duplicate>[] = [];
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((...args: Parameters<typeof client.duplicate>) => {
    const copy = duplicate(...args);
    duplicates.push(copy);
    return copy;
  }) as typeof client.duplicate;
  await client.connect();
  return {
    create: createRedisStreamsAdapter(client, { streamName: 'keel:realtime', sessionKeyPrefix: 'keel:realtime:session:' }) as ServerOptions['adapter'],
    recoversConnections: true,
    async close() {
      for (const copy of duplicates) copy.destroy();
      client.destroy();
    },
  };
}
