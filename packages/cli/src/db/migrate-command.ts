import { createLogger, loadConfig } from '@keel/kernel';
import { migrateLayers, openDatabases } from './databases.ts';

/** `keel db migrate`: run migrations alone, before a deploy (or on the embedded cluster). */
export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const { databases, cluster } = await openDatabases(config, logger);
  try {
    await migrateLayers(databases);
    logger.info({ central: Boolean(databases.central), regional: Boolean(databases.regional) }, 'migrations applied');
    return 0;
  } finally {
    await cluster?.stop();
  }
}
