import { defineError } from '@keel/kernel';

export class ForbiddenRoleError extends defineError({
  code: 'FORBIDDEN_ROLE',
  status: 403,
  description: 'Your role in the tenant does not allow this action (see the role table in specs/tenancy.md).',
}) {}
