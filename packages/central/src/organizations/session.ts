import type { FastifyRequest } from 'fastify';
import type { Auth } from '../identity/auth.ts';
import { AuthOriginRefusedError, AuthSessionMissingError } from '../identity/errors.ts';

export interface SessionDeps {
  auth: () => Auth;
  /** Its origin is the one a cookie-carrying write may come from. */
  publicUrl: () => string;
}

/**
 * The signed-in user of a request to central's own endpoints, from better-auth's session cookie.
 * A write that carries the cookie must come from PUBLIC_URL's origin, as better-auth requires for
 * its own routes (CSRF): 403 AUTH_ORIGIN_REFUSED otherwise; no valid session: 401 AUTH_SESSION_MISSING.
 */
export async function requireSession(request: FastifyRequest, deps: SessionDeps): Promise<{ userId: string }> {
  const cookie = request.headers.cookie;
  if (cookie === undefined || cookie === '') throw new AuthSessionMissingError();
  if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers.origin !== new URL(deps.publicUrl()).origin) {
    throw new AuthOriginRefusedError();
  }
  const session = await deps.auth().api.getSession({ headers: new Headers({ cookie }) });
  if (!session) throw new AuthSessionMissingError();
  return { userId: session.user.id };
}
