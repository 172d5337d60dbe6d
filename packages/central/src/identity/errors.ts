import { defineError } from '@keel/kernel';

/** The rule better-auth enforces on sign-up and password changes (see createAuth). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export class AuthInvalidCredentialsError extends defineError({
  code: 'AUTH_INVALID_CREDENTIALS',
  status: 401,
  description: 'The email and password do not match an account (the same answer whether or not the email exists).',
}) {}

export class AuthPasswordTooWeakError extends defineError({
  code: 'AUTH_PASSWORD_TOO_WEAK',
  status: 400,
  description: `The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`,
}) {}

export class AuthEmailTakenError extends defineError({
  code: 'AUTH_EMAIL_TAKEN',
  status: 409,
  description: 'An account with this email already exists.',
}) {}

export class AuthSessionMissingError extends defineError({
  code: 'AUTH_SESSION_MISSING',
  status: 401,
  description: 'The request needs a signed-in session (the session cookie is missing, expired or revoked).',
}) {}

export class AuthOriginRefusedError extends defineError({
  code: 'AUTH_ORIGIN_REFUSED',
  status: 403,
  description: "A cookie-carrying request to `/api/auth` came from an origin other than PUBLIC_URL's (cross-site request forgery protection).",
}) {}

export class AuthRateLimitedError extends defineError({
  code: 'AUTH_RATE_LIMITED',
  status: 429,
  description: 'Too many sign-in requests from this address; retry after `Retry-After` seconds.',
}) {}

export class AuthRequestRefusedError extends defineError({
  code: 'AUTH_REQUEST_REFUSED',
  status: 400,
  description: 'better-auth refused the request for a reason without a more specific code (e.g. an invalid or expired one-time token).',
}) {}
