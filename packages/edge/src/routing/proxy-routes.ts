import replyFrom from '@fastify/reply-from';
import type { HttpApp } from '@keel/kernel';
import { UpstreamUnavailableError } from './errors.ts';
import { homeRegionUrl } from './home-region.ts';
import { proxyRealtimeUpgrades, realtimeTarget, REALTIME_PATH, type RealtimeRouting } from './realtime-proxy.ts';
import { upstreamTarget } from './upstream-target.ts';

export interface EdgeRouting extends RealtimeRouting {
  centralUrl: string;
  /** Region id → base URL of that region's deployment. */
  regionUrls: ReadonlyMap<string, string>;
}

/**
 * When the edge runs alone (KEEL_ROLE=edge), the browser still talks to one origin: central's
 * routes go to central, tenant routes to the tenant's home region. Bodies stream through unparsed;
 * the layer behind applies its own limits and validation.
 */
export function proxyRoutes(routing: EdgeRouting) {
  return async function plugin(app: HttpApp): Promise<void> {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await app.register(replyFrom);
    // Each route's target stays under the prefix it was routed by: a path that resolves elsewhere is 404.
    const routes: [string[], (authorization: string | undefined, url: string) => URL][] = [
      [['/api/central', '/api/central/*', '/api/auth/*'], (_authorization, url) => upstreamTarget(url, routing.centralUrl, ['/api/central', '/api/auth'])],
      [['/api/v1', '/api/v1/*'], (authorization, url) => upstreamTarget(url, homeRegionUrl(authorization, routing.regionUrls), ['/api/v1'])],
      // Socket.IO's long-polling requests; its WebSocket upgrades are proxied beside the routes.
      [[REALTIME_PATH, `${REALTIME_PATH}/*`], (_authorization, url) => realtimeTarget(url, routing.regionUrls)],
    ];
    proxyRealtimeUpgrades(app, routing);
    for (const [paths, upstream] of routes) {
      for (const path of paths) {
        app.all(path, { schema: { hide: true } }, async (request, reply) =>
          reply.from(upstream(request.headers.authorization, request.url).toString(), {
            // The client as this edge sees it (the connection, or what its own TRUST_PROXY vouches
            // for), replacing whatever the client sent: the layer behind trusts the edge for it.
            rewriteRequestHeaders: (_request, headers) => ({ ...headers, 'x-forwarded-for': request.ip }),
            onError: (failed, { error }) => failed.send(new UpstreamUnavailableError({ cause: error })),
          }),
        );
      }
    }
  };
}
