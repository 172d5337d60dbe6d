import type { AccessTokenVerifier } from '@keel/central/contracts';
import type { Clock, HttpApp, MessageRoutes, QueueDriver, StoragePort, WithTenant } from '@keel/kernel';
import { createAuthenticate } from './auth/authenticate.ts';
import type { RequestVerdictCheck } from './auth/token-revocations.ts';
import { deadLetterRoutes } from './dead-letters/routes.ts';
import { opsRoutes } from './ops/routes.ts';
import { storeRoutes } from './stores/routes.ts';
import { productRoutes } from './products/routes.ts';
import { productImageRoutes } from './products/images/routes.ts';
import { orderRoutes } from './orders/routes.ts';
import { reviewRoutes } from './reviews/routes.ts';
import { usageRoutes } from './plans/usage-routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import type { Webhooks } from './webhooks/webhooks.ts';
import { importRoutes } from './imports/routes.ts';

export interface RegionalApiDependencies {
  withTenant: WithTenant;
  verifyAccessToken: AccessTokenVerifier;
  /** Whether central revoked a verified token since it was issued, or the tenant's subscription ended. */
  verdictOf: RequestVerdictCheck;
  driver: QueueDriver;
  /** Where events go: the region's consumers (dead-letter replays must name a running one). */
  routes: MessageRoutes;
  /** The queues the region's consumers listen on (for the operations view). */
  queues: readonly string[];
  /** "Now" for the API's figures (this month's revenue in the tenant's time zone). */
  clock: Clock;
  /** Outbound webhooks (H4): the secret box and target policy registration uses. */
  webhooks: Webhooks;
  /** Uploads and CSV imports (H3): object storage and the largest file accepted (IMPORT_MAX_BYTES). */
  storage: StoragePort;
  importMaxBytes: number;
  /** Product images (H5): the largest original accepted (PRODUCT_IMAGE_MAX_BYTES). */
  productImages: { maxBytes: number };
}

/** Everything under `/api/v1`: bearer-token only, tenant from the token. */
export function regionalApi(deps: RegionalApiDependencies) {
  return async function plugin(app: HttpApp): Promise<void> {
    app.addHook('onRequest', createAuthenticate(deps.verifyAccessToken, deps.verdictOf));
    storeRoutes(app, deps);
    productRoutes(app, deps);
    productImageRoutes(app, deps);
    orderRoutes(app, deps);
    reviewRoutes(app, deps);
    deadLetterRoutes(app, deps);
    opsRoutes(app, deps);
    usageRoutes(app, deps);
    webhookRoutes(app, deps);
    importRoutes(app, deps);
  };
}
