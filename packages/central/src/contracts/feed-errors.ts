import { defineError } from '@keel/kernel';

export class RegionCredentialInvalidError extends defineError({
  code: 'REGION_CREDENTIAL_INVALID',
  status: 401,
  description: "The feed request carries no credential, or not the one registered for the region it names.",
}) {}
