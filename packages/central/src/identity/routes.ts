import { InternalError, RouteNotFoundError, ValidationFailedError, type AppError, type HttpApp } from '@keel/kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AuthCurrentPasswordWrongError,
  AuthEmailTakenError,
  AuthInvalidCredentialsError,
  AuthOriginRefusedError,
  AuthPasswordTooWeakError,
  AuthRequestRefusedError,
  AuthResetTokenInvalidError,
  AuthSessionMissingError,
  AuthSessionNotFreshError,
  AuthVerificationTokenInvalidError,
} from './errors.ts';
import { CLIENT_IP_HEADER, type Auth } from './auth.ts';
import { limitedAttempt, type AuthRateLimiter } from './auth-rate-limiter.ts';

/**
 * The better-auth endpoints Keel offers (method and path as better-auth routes them); every other
 * route better-auth has (e.g. `verify-password`, `delete-user`, `update-user`) answers 404
 * ROUTE_NOT_FOUND: what is not used is not exposed.
 */
export const AUTH_ENDPOINTS: ReadonlySet<string> = new Set([
  'POST /api/auth/sign-up/email',
  'POST /api/auth/sign-in/email',
  'POST /api/auth/sign-out',
  'GET /api/auth/get-session',
  'POST /api/auth/change-password',
  'POST /api/auth/request-password-reset',
  'POST /api/auth/reset-password',
  'GET /api/auth/verify-email',
  'POST /api/auth/send-verification-email',
  'GET /api/auth/list-sessions',
  'POST /api/auth/revoke-session',
  'POST /api/auth/revoke-other-sessions',
  'GET /api/auth/open-api/generate-schema',
]);

/** Client-sent address headers: better-auth must not rate-limit by an address a client chose. */
const SPOOFABLE_ADDRESS_HEADERS = new Set(['x-forwarded-for', 'x-real-ip', CLIENT_IP_HEADER]);

/**
 * better-auth's own routes at its default paths, `/api/auth/*`, in a plugin of their own: bodies
 * reach better-auth as the raw bytes (within the body limit), and its errors leave as Keel's.
 * Sign-ins and requests that mail a link are counted by Keel's limiter first: over a limit,
 * better-auth never sees the request (the password is not even checked).
 */
export async function authRoutes(app: HttpApp, options: { auth: () => Auth; publicUrl: () => string; limiter: AuthRateLimiter }): Promise<void> {
  await app.register(async (scope: HttpApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.all('/api/auth/*', { schema: { hide: true } }, async (request, reply) => {
      const webRequest = toWebRequest(request, options.publicUrl());
      // The path as better-auth routes it (dot segments resolved), however the client spelled it.
      const path = new URL(webRequest.url).pathname;
      if (!AUTH_ENDPOINTS.has(`${request.method === 'HEAD' ? 'GET' : request.method} ${path}`)) throw new RouteNotFoundError();
      const attempt = await limitedAttempt({ method: request.method, path, ip: request.ip, contentType: request.headers['content-type'], body: request.body });
      if (attempt) await options.limiter.admit(attempt);
      const response = await options.auth().handler(webRequest);
      if (response.status >= 400) throw toKeelError(response.status, await errorCode(response), path);
      if (attempt?.kind === 'sign-in' && attempt.email !== undefined) await options.limiter.signedIn(attempt.email);
      return forward(response, reply);
    });
  });
}

function toWebRequest(request: FastifyRequest, publicUrl: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (SPOOFABLE_ADDRESS_HEADERS.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) headers.append(name, one);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  const body = request.body instanceof Buffer && request.body.length > 0 ? new Uint8Array(request.body) : undefined;
  return new Request(new URL(request.url, publicUrl), { method: request.method, headers, body });
}

async function forward(response: Response, reply: FastifyReply): Promise<FastifyReply> {
  reply.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length') reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  return reply.send(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}

/** better-auth answers its errors as `{code, message}`. */
async function errorCode(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { code?: unknown } | null | undefined;
  return typeof body?.code === 'string' ? body.code : '';
}

/** The one adapter from better-auth's errors to Keel's codes. */
function toKeelError(status: number, code: string, path: string): AppError {
  const options = { cause: new Error(`better-auth answered ${status} ${code}`) };
  const signingIn = path.startsWith('/api/auth/sign-in/');
  switch (code) {
    case 'INVALID_PASSWORD':
      // Only endpoints that re-check a signed-in user's password answer it (change-password).
      return new AuthCurrentPasswordWrongError(options);
    case 'INVALID_EMAIL_OR_PASSWORD':
    case 'CREDENTIAL_ACCOUNT_NOT_FOUND':
      return new AuthInvalidCredentialsError(options);
    case 'INVALID_TOKEN':
    case 'TOKEN_EXPIRED':
    case 'USER_NOT_FOUND':
      if (path === '/api/auth/reset-password') return new AuthResetTokenInvalidError(options);
      if (path === '/api/auth/verify-email') return new AuthVerificationTokenInvalidError(options);
      break;
    case 'SESSION_NOT_FRESH':
      return new AuthSessionNotFreshError(options);
    case 'PASSWORD_TOO_SHORT':
    case 'PASSWORD_TOO_LONG':
      // Signing in, a password out of bounds is just a wrong one.
      return signingIn ? new AuthInvalidCredentialsError(options) : new AuthPasswordTooWeakError(options);
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return new AuthEmailTakenError(options);
    case 'INVALID_ORIGIN':
    case 'MISSING_OR_NULL_ORIGIN':
    case 'CROSS_SITE_NAVIGATION_LOGIN_BLOCKED':
    case 'INVALID_CALLBACK_URL':
    case 'INVALID_REDIRECT_URL':
    case 'INVALID_ERROR_CALLBACK_URL':
    case 'INVALID_NEW_USER_CALLBACK_URL':
      return new AuthOriginRefusedError(options);
    case 'INVALID_EMAIL':
      return new ValidationFailedError({ ...options, details: [{ path: 'body.email', rule: 'invalid_email' }] });
    case 'VALIDATION_ERROR':
    case 'MISSING_FIELD':
    case 'BODY_MUST_BE_AN_OBJECT':
    case 'FIELD_NOT_ALLOWED':
      return new ValidationFailedError(options);
  }
  if (status === 401) return new AuthSessionMissingError(options);
  if (status === 404) return new RouteNotFoundError(options);
  if (status >= 500) return new InternalError(options);
  return new AuthRequestRefusedError(options);
}
