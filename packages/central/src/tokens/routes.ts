import type { HttpApp } from '@keel/kernel';
import { orCentralUnavailable } from './central-unavailable.ts';
import { exchangeApiKey } from './exchange-api-key.ts';
import { exchangeSession, type ExchangeDeps } from './exchange-session.ts';
import { tokenBody, tokenSchema } from './schemas.ts';

/**
 * `POST /api/central/tokens`: a short-lived access token for one tenant, in exchange for either
 * an API key (`Authorization: Bearer keel_…`; no session needed) or a signed-in member's session
 * cookie with `{tenantId}`. While central's database is unreachable: 503 CENTRAL_UNAVAILABLE.
 */
export function tokenRoutes(app: HttpApp, deps: ExchangeDeps): void {
  app.post('/tokens', { schema: { tags: ['tokens'], body: tokenBody, response: { 200: tokenSchema } } }, async (request) => {
    const { authorization } = request.headers;
    return orCentralUnavailable(() =>
      authorization === undefined ? exchangeSession(request, request.body, deps) : exchangeApiKey(authorization, request.body, deps),
    );
  });
}
