import { centralMigrationsFolder } from '@keel/central';
import {
  migrateDatabase,
  provisionDatabase,
  runsCentral,
  runsRegional,
  startEmbeddedCluster,
  type DatabaseUrls,
  type EmbeddedCluster,
  type KeelConfig,
  type Logger,
} from '@keel/kernel';
import { regionalMigrationsFolder } from '@keel/regional';

export interface LayerDatabases {
  central?: DatabaseUrls | undefined;
  regional?: DatabaseUrls | undefined;
}

export function regionalDatabaseName(region: string): string {
  return `keel_regional_${region.replaceAll('-', '_')}`;
}

/**
 * The databases the configured role needs: the configured servers, or on none configured, the
 * embedded cluster under KEEL_DATA_DIR with the central database and the region's database.
 * `ownProcessGroup`: see `startEmbeddedCluster`; only for a caller that handles SIGINT and SIGTERM.
 */
export async function openDatabases(
  config: KeelConfig,
  logger: Logger,
  options: { ownProcessGroup?: boolean } = {},
): Promise<{ databases: LayerDatabases; cluster?: EmbeddedCluster }> {
  const wanted = { central: runsCentral(config.role), regional: runsRegional(config.role) };
  if (config.centralDatabase || config.regionalDatabase || (!wanted.central && !wanted.regional)) {
    return { databases: { central: config.centralDatabase, regional: config.regionalDatabase } };
  }
  const cluster = await startEmbeddedCluster({ dataDir: config.dataDir, logger, ownProcessGroup: options.ownProcessGroup });
  try {
    const { superuserUrl, secrets } = cluster;
    const databases: LayerDatabases = {};
    if (wanted.central) {
      databases.central = await provisionDatabase({ superuserUrl, database: 'keel_central', layer: 'central', passwords: secrets.rolePasswords.central });
    }
    if (wanted.regional) {
      databases.regional = await provisionDatabase({
        superuserUrl,
        database: regionalDatabaseName(config.region),
        layer: 'regional',
        passwords: secrets.rolePasswords.regional,
      });
    }
    return { databases, cluster };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

export async function migrateLayers(databases: LayerDatabases): Promise<void> {
  if (databases.central) await migrateDatabase(databases.central.owner, centralMigrationsFolder);
  if (databases.regional) await migrateDatabase(databases.regional.owner, regionalMigrationsFolder);
}
