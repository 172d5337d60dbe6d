import type { HttpApp, KeelLayer } from '@keel/kernel';
import { landingPageRoute } from './landing-page.ts';

/** The stateless front door: serves the web app; routes API calls to the tenant's home region. */
export function createEdgeLayer(): KeelLayer {
  return {
    name: 'edge',
    async register(app: HttpApp) {
      landingPageRoute(app);
    },
    close: async () => {},
  };
}
