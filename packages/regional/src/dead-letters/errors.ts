import { defineError } from '@keel/kernel';

export class DeadLetterNotFoundError extends defineError({
  code: 'DEAD_LETTER_NOT_FOUND',
  status: 404,
  description: 'No dead letter with this id in the tenant.',
}) {}

export class DeadLetterNotOpenError extends defineError({
  code: 'DEAD_LETTER_NOT_OPEN',
  status: 409,
  description: 'The dead letter was already replayed or discarded; only open ones can be.',
}) {}
