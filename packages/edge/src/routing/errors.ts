import { defineError } from '@keel/kernel';

export class UpstreamUnavailableError extends defineError({
  code: 'UPSTREAM_UNAVAILABLE',
  status: 503,
  report: true,
  description: 'The edge could not reach central or the tenant\'s home region; retry later.',
}) {}
