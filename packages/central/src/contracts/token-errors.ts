import { defineError } from '@keel/kernel';

export class AuthTokenMissingError extends defineError({
  code: 'AUTH_TOKEN_MISSING',
  status: 401,
  description: 'The request carries no `Authorization: Bearer <token>` header (cookies are not accepted here).',
}) {}

export class AuthTokenInvalidError extends defineError({
  code: 'AUTH_TOKEN_INVALID',
  status: 401,
  description: 'The token is malformed, not signed by a current central key, or its claims are not valid.',
}) {}

export class AuthTokenExpiredError extends defineError({
  code: 'AUTH_TOKEN_EXPIRED',
  status: 401,
  description: 'The token has expired; ask central for a new one.',
}) {}

export class AuthTokenWrongRegionError extends defineError({
  code: 'AUTH_TOKEN_WRONG_REGION',
  status: 401,
  description: "The token was issued for another region than the one that received it.",
}) {}

export class CentralUnavailableError extends defineError({
  code: 'CENTRAL_UNAVAILABLE',
  status: 503,
  report: true,
  description: 'Central did not answer (token issuance, or public keys not yet cached); retry later.',
}) {}

export class AuthTokenRevokedError extends defineError({
  code: 'AUTH_TOKEN_REVOKED',
  status: 401,
  description: 'The token was issued before its holder was removed from the tenant, changed role, or (an API key) was revoked; ask central for a new one — it answers with the current role, or not at all.',
}) {}
