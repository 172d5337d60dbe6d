import { defineError } from '@keel/kernel';

export class TenantProvisioningError extends defineError({
  code: 'TENANT_PROVISIONING',
  status: 503,
  description: "The tenant exists in central but its home region has not applied `tenant.created`, or the tenant's first `tenant.plan_changed`, yet; retry shortly.",
}) {}
