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

export class DeadLetterConsumerGoneError extends defineError({
  code: 'DEAD_LETTER_CONSUMER_GONE',
  status: 409,
  description: 'The consumer that gave up on this event no longer runs in this region; it cannot be replayed (discard it).',
}) {}
