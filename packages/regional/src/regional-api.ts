import type { AccessTokenVerifier } from '@keel/central/contracts';
import type { HttpApp, WithTenant } from '@keel/kernel';
import { createAuthenticate } from './auth/authenticate.ts';
import { storeRoutes } from './stores/routes.ts';

export interface RegionalApiDependencies {
  withTenant: WithTenant;
  verifyAccessToken: AccessTokenVerifier;
}

/** Everything under `/api/v1`: bearer-token only, tenant from the token. */
export function regionalApi(deps: RegionalApiDependencies) {
  return async function plugin(app: HttpApp): Promise<void> {
    app.addHook('onRequest', createAuthenticate(deps.verifyAccessToken));
    storeRoutes(app, deps);
  };
}
