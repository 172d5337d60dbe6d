import { defineError } from '../errors/app-error.ts';

export class MessageTooLargeError extends defineError({
  code: 'MESSAGE_TOO_LARGE',
  status: 413,
  description: 'An event is larger than the queue transport allows (SQS: 256 KiB); it was refused when enqueued.',
}) {}
