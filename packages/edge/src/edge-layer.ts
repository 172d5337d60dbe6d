import type { HttpApp, KeelLayer } from '@keel/kernel';
import { landingPageRoute } from './landing-page.ts';
import { proxyRoutes, type EdgeRouting } from './routing/proxy-routes.ts';

export type { EdgeRouting };

/**
 * The stateless front door: serves the web app, and — when it runs alone — routes API calls to
 * central and to the tenant's home region. In one process (KEEL_ROLE=all) the API is local.
 */
export function createEdgeLayer(options: { routing?: EdgeRouting | undefined } = {}): KeelLayer {
  return {
    name: 'edge',
    async register(app: HttpApp) {
      landingPageRoute(app);
      if (options.routing) await app.register(proxyRoutes(options.routing));
    },
    close: async () => {},
  };
}
