import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { currentContext } from '../tenancy/request-context.ts';
import type { Logger } from '../logging/logger.ts';

export type Database = NodePgDatabase<Record<string, never>>;

/** Every statement sent through a Keel pool is counted against the current request, if any. */
class CountingClient extends pg.Client {
  // pg's query() has many overloads; counting wraps them all without restating them.
  override query(...args: unknown[]): never {
    const [first] = args;
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (text !== undefined) currentContext()?.queryStats?.record(text);
    return (super.query as (...forwarded: unknown[]) => never)(...args);
  }
}

/**
 * pg-pool hands a connection to a waiting caller from inside the `release()` of whichever request
 * freed it, so `pool.query` would run (and count) its statement in that other request's context.
 * Binding the callback keeps each statement in the context of the caller that asked for it.
 */
class ContextPool extends pg.Pool {
  override connect(...args: unknown[]): never {
    const [callback] = args;
    const forwarded = typeof callback === 'function' ? [AsyncResource.bind(callback as (...parameters: unknown[]) => unknown)] : args;
    return (super.connect as (...forwarded: unknown[]) => never)(...forwarded);
  }
}

export interface PoolOptions {
  /** Shown in pg_stat_activity, e.g. `keel-regional-app`. */
  applicationName: string;
  logger: Logger;
  max?: number;
}

export function createPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new ContextPool({
    connectionString: url,
    Client: CountingClient,
    application_name: options.applicationName,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => options.logger.warn({ err: error, pool: options.applicationName }, 'idle database connection lost'));
  return pool;
}

export function createDatabase(pool: pg.Pool): Database {
  return drizzle({ client: pool });
}

/** Resolves when the database answers a trivial statement. */
export async function ping(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}
