import { defineError } from './app-error.ts';

/** Errors of the HTTP edge of every layer: input that never reached a bounded context. */
export class ValidationFailedError extends defineError({
  code: 'VALIDATION_FAILED',
  status: 400,
  description: 'The request did not match its schema; `details` lists each field path and the rule it broke.',
}) {}

export class MalformedJsonError extends defineError({
  code: 'MALFORMED_JSON',
  status: 400,
  description: 'The request body is not valid JSON.',
}) {}

export class UnsupportedMediaTypeError extends defineError({
  code: 'UNSUPPORTED_MEDIA_TYPE',
  status: 415,
  description: 'The request body has a content type this endpoint does not accept (send application/json).',
}) {}

export class PayloadTooLargeError extends defineError({
  code: 'PAYLOAD_TOO_LARGE',
  status: 413,
  description: 'The request body is larger than BODY_LIMIT_BYTES.',
}) {}

export class MalformedUrlError extends defineError({
  code: 'MALFORMED_URL',
  status: 400,
  description: 'The request URL cannot be decoded (bad percent-encoding) or a path parameter is too long.',
}) {}

export class RouteNotFoundError extends defineError({
  code: 'ROUTE_NOT_FOUND',
  status: 404,
  description: 'No route matches this method and path.',
}) {}

export class VersionConflictError extends defineError({
  code: 'VERSION_CONFLICT',
  status: 409,
  description: 'The entity changed since the version the client sent; reload and retry.',
}) {}

export class DatabaseUnavailableError extends defineError({
  code: 'DATABASE_UNAVAILABLE',
  status: 503,
  report: true,
  description: 'The database did not answer; retry later.',
}) {}

export class InternalError extends defineError({
  code: 'INTERNAL_ERROR',
  status: 500,
  report: true,
  description: 'An unexpected failure; it was reported and the response carries no detail.',
}) {}
