import { z } from 'zod';

/**
 * The token central issues for one user (or API key) in one tenant, and every region trusts:
 * a short-lived JWT signed with an asymmetric key whose public half is at central's JWKS URL.
 */
export const ACCESS_TOKEN_ISSUER = 'keel-central';
export const ACCESS_TOKEN_AUDIENCE = 'keel-api';
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
export const ACCESS_TOKEN_MAX_LIFETIME_SECONDS = 300;
export const JWKS_PATH = '/api/central/jwks.json';

export const tenantRoleSchema = z.enum(['owner', 'admin', 'member']);

export const accessTokenClaimsSchema = z.object({
  /** The user, or `apikey:<id>` for an API key. */
  sub: z.string().min(1),
  tenant_id: z.uuid(),
  role: tenantRoleSchema,
  region: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});

export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;
