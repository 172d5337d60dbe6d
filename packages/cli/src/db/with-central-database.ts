import { createDatabase, createLogger, createPool, loadConfig, type Database, type KeelConfig } from '@keel/kernel';
import { migrateLayers, openDatabases } from './databases.ts';

/**
 * For operator commands on central: opens central's databases as `KEEL_ROLE=central` would (the
 * configured servers, or the embedded cluster), brings them up to date, runs `work` as the app
 * role, then closes everything.
 */
export async function withCentralDatabase<T>(work: (database: Database, config: KeelConfig) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...process.env, KEEL_ROLE: 'central' });
  const logger = createLogger({ level: 'warn' });
  const { databases, cluster } = await openDatabases(config, logger);
  try {
    await migrateLayers(databases);
    const pool = createPool(databases.central!.app, { applicationName: 'keel-cli', logger });
    try {
      return await work(createDatabase(pool), config);
    } finally {
      await pool.end();
    }
  } finally {
    await cluster?.stop();
  }
}
