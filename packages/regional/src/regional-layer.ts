import { fileURLToPath } from 'node:url';
import { createAccessTokenVerifier, type AccessTokenVerifier } from '@keel/central/contracts';
import { createDatabase, createPool, createWithTenant, ping, type Clock, type DatabaseUrls, type HttpApp, type KeelLayer, type Logger } from '@keel/kernel';
import { regionalApi } from './regional-api.ts';

export const regionalMigrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface RegionalLayerOptions {
  database: DatabaseUrls;
  region: string;
  /** Central's JWKS URL; a function when it is known only after listening. */
  centralJwksUrl: string | (() => string);
  jwksCacheMaxAgeMs: number;
  clock: Clock;
  logger: Logger;
}

/** The data plane of one region, served under `/api/v1`. */
export async function createRegionalLayer(options: RegionalLayerOptions): Promise<KeelLayer> {
  const appPool = createPool(options.database.app, { applicationName: 'keel-regional-app', logger: options.logger });
  const withTenant = createWithTenant(createDatabase(appPool));
  const verifyAccessToken: AccessTokenVerifier = createAccessTokenVerifier({
    jwksUrl: options.centralJwksUrl,
    region: options.region,
    clock: options.clock,
    cacheMaxAgeMs: options.jwksCacheMaxAgeMs,
  });
  return {
    name: 'regional',
    async register(app: HttpApp) {
      await app.register(regionalApi({ withTenant, verifyAccessToken }), { prefix: '/api/v1' });
    },
    healthCheck: () => ping(appPool),
    close: () => appPool.end(),
  };
}
