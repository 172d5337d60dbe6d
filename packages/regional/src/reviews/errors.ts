import { defineError } from '@keel/kernel';

export class ReviewNotFoundError extends defineError({
  code: 'REVIEW_NOT_FOUND',
  status: 404,
  description: 'No review with this id on this store of the tenant.',
}) {}
