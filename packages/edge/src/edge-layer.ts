import type { HttpApp, KeelLayer } from '@keel/kernel';
import { proxyRoutes, type EdgeRouting } from './routing/proxy-routes.ts';
import { WEB_APP_DIST, webAppRoutes } from './web-app/web-app-routes.ts';

export type { EdgeRouting };

export interface EdgeLayerOptions {
  routing?: EdgeRouting | undefined;
  /** The built web app (default: packages/web/dist). */
  webRoot?: string | undefined;
}

/**
 * The stateless front door: serves the web app, and — when it runs alone — routes API calls to
 * central and to the tenant's home region. In one process (KEEL_ROLE=all) the API is local.
 */
export function createEdgeLayer(options: EdgeLayerOptions = {}): KeelLayer {
  return {
    name: 'edge',
    async register(app: HttpApp) {
      await app.register(webAppRoutes({ root: options.webRoot ?? WEB_APP_DIST }));
      if (options.routing) await app.register(proxyRoutes(options.routing));
    },
    close: async () => {},
  };
}
