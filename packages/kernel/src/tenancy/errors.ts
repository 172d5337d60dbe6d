import { defineError } from '../errors/app-error.ts';

export class TenantContextMissingError extends defineError({
  code: 'TENANT_CONTEXT_MISSING',
  status: 500,
  report: true,
  description: 'Tenant data was accessed without a tenant in the request context; the query was not run.',
}) {}
