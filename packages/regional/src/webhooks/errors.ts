import { defineError } from '@keel/kernel';

export class WebhookEndpointNotFoundError extends defineError({
  code: 'WEBHOOK_ENDPOINT_NOT_FOUND',
  status: 404,
  description: 'No webhook endpoint with this id in the tenant.',
}) {}

export class WebhookTargetForbiddenError extends defineError({
  code: 'WEBHOOK_TARGET_FORBIDDEN',
  status: 422,
  description:
    'The webhook URL names, or its host resolves to, an address that is not public (loopback, private, link-local, unique-local, CGNAT, multicast, unspecified, IPv4-mapped to one of those…); refused at registration and again when each connection is made.',
}) {}

export class WebhookHttpsRequiredError extends defineError({
  code: 'WEBHOOK_HTTPS_REQUIRED',
  status: 422,
  description: 'Webhook endpoints must use https (http only where private targets are allowed, in development and tests).',
}) {}

export class WebhookReceiverRejectedError extends defineError({
  code: 'WEBHOOK_RECEIVER_REJECTED',
  status: 502,
  description: 'The receiver answered the delivery with a status other than 2xx (redirects are not followed); it will be retried.',
}) {}

export class WebhookTimeoutError extends defineError({
  code: 'WEBHOOK_TIMEOUT',
  status: 504,
  description: 'The receiver did not answer the delivery within WEBHOOK_TIMEOUT_MS; it will be retried.',
}) {}

export class WebhookConnectionFailedError extends defineError({
  code: 'WEBHOOK_CONNECTION_FAILED',
  status: 502,
  description: "The receiver's host could not be resolved or reached, or TLS failed; the delivery will be retried.",
}) {}

export class WebhookSecretUnreadableError extends defineError({
  code: 'WEBHOOK_SECRET_UNREADABLE',
  status: 500,
  report: true,
  description: "The endpoint's stored secret cannot be decrypted with WEBHOOK_SECRET_KEY (the key changed); rotate the endpoint's secret.",
}) {}
