import { fileURLToPath } from 'node:url';
import { createDatabase, createPool, ping, type DatabaseUrls, type HttpApp, type KeelLayer, type Logger } from '@keel/kernel';
import { createFeedNotifier } from './feed/feed-notifier.ts';
import { feedRoutes } from './feed/routes.ts';
import { createRegionRegistry } from './regions/region-registry.ts';
import { regionRoutes } from './regions/routes.ts';
import { signingKeyRoutes } from './signing-keys/routes.ts';
import { createSigningKeyStore } from './signing-keys/signing-key-store.ts';

export const centralMigrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface CentralLayerOptions {
  database: DatabaseUrls;
  /** Regions registered at start-up (one-process mode: the local one, with its feed credential). */
  regions: readonly { id: string; credential?: string | undefined }[];
  logger: Logger;
}

/** The control plane, served under `/api/central`. */
export async function createCentralLayer(options: CentralLayerOptions): Promise<KeelLayer> {
  const appPool = createPool(options.database.app, { applicationName: 'keel-central-app', logger: options.logger });
  const database = createDatabase(appPool);
  const signingKeys = createSigningKeyStore(database);
  const regions = createRegionRegistry(database);
  await signingKeys.ensureActiveKey();
  for (const region of options.regions) await regions.register(region.id, region.credential);
  const notifier = await createFeedNotifier(options.database.app, options.logger);
  return {
    name: 'central',
    async register(app: HttpApp) {
      app.addHook('preClose', async () => notifier.releaseAll());
      await app.register(
        async (central: HttpApp) => {
          signingKeyRoutes(central, { signingKeys });
          regionRoutes(central, { regions });
          feedRoutes(central, { database, regions, notifier });
        },
        { prefix: '/api/central' },
      );
    },
    healthCheck: () => ping(appPool),
    async close() {
      await notifier.close();
      await appPool.end();
    },
  };
}
