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
  description: 'Too many sign-in attempts, or requests for an emailed link, from this address or for this email; retry after `Retry-After` seconds.',
}) {}

export class AuthCurrentPasswordWrongError extends defineError({
  code: 'AUTH_CURRENT_PASSWORD_WRONG',
  status: 400,
  description: 'Changing the password needs the current one, and the one given is wrong.',
}) {}

export class AuthResetTokenInvalidError extends defineError({
  code: 'AUTH_RESET_TOKEN_INVALID',
  status: 400,
  description: 'The password reset link is unknown, expired or already used; request a new one.',
}) {}

export class AuthVerificationTokenInvalidError extends defineError({
  code: 'AUTH_VERIFICATION_TOKEN_INVALID',
  status: 400,
  description: 'The email verification link is invalid or expired; request a new one.',
}) {}

export class AuthSessionNotFreshError extends defineError({
  code: 'AUTH_SESSION_NOT_FRESH',
  status: 403,
  description: 'This action needs a recent sign-in (better-auth: a session younger than a day); sign in again.',
}) {}

export class AuthRequestRefusedError extends defineError({
  code: 'AUTH_REQUEST_REFUSED',
  status: 400,
  description: 'better-auth refused the request for a reason without a more specific code (e.g. an invalid or expired one-time token).',
}) {}
