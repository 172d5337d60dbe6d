import { defineError } from '../errors/app-error.ts';

export class MessagePayloadInvalidError extends defineError({
  code: 'MESSAGE_PAYLOAD_INVALID',
  status: 422,
  report: true,
  description: "An event's payload does not match what its consumer expects; it is retried, then dead-lettered.",
}) {}

export class MessageTenantMissingError extends defineError({
  code: 'MESSAGE_TENANT_MISSING',
  status: 422,
  report: true,
  description: "An event without a tenant reached a consumer of tenant data; it goes to the queue's transport dead-letter queue at once, without retries.",
}) {}
