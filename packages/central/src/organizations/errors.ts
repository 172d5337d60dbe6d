import { defineError } from '@keel/kernel';

export class OrgSlugTakenError extends defineError({
  code: 'ORG_SLUG_TAKEN',
  status: 409,
  description: 'Another organization already has this slug.',
}) {}

export class OrgNotFoundError extends defineError({
  code: 'ORG_NOT_FOUND',
  status: 404,
  description: 'No organization with this id has the signed-in user as a member (the same answer whether or not it exists).',
}) {}
