import { defineError } from '@keel/kernel';

export class ApiKeyNotFoundError extends defineError({
  code: 'API_KEY_NOT_FOUND',
  status: 404,
  description: 'The organization has no API key with this id.',
}) {}

export class AuthApiKeyInvalidError extends defineError({
  code: 'AUTH_API_KEY_INVALID',
  status: 401,
  description: 'The `Authorization: Bearer` value is not an API key of Keel (`keel_…`), or the key is unknown or revoked.',
}) {}
