import {
  AuthTokenExpiredError,
  AuthTokenInvalidError,
  AuthTokenMissingError,
  AuthTokenRevokedError,
  AuthTokenWrongRegionError,
  CentralUnavailableError,
  ForbiddenRoleError,
  PlanLimitReachedError,
  RegionCredentialInvalidError,
} from '@keel/central/contracts';
import { AUTH_ENDPOINTS } from '@keel/central';
import { runsCentral, runsRegional, type ApiReferenceOptions, type KeelRole } from '@keel/kernel';

/**
 * What Keel's API reference (`/api/openapi.json`, `/api/docs`) documents in a process of this
 * role: the routes of the layers it serves — `/api/v1` (regional), `/api/central` and
 * better-auth's `/api/auth` (central) — with the credential each takes and the codes it refuses
 * with. Undefined when the process serves no API of its own (the edge alone forwards it).
 * Codes named by string are central's (identity), which only its contracts may export.
 */
export function keelApiReference(role: KeelRole): ApiReferenceOptions | undefined {
  const central = runsCentral(role);
  const regional = runsRegional(role);
  if (!central && !regional) return undefined;
  return {
    info: {
      title: 'Keel',
      version: '0.0.0',
      description:
        'Every error answers `{"code","requestId"}` (plus `details` for `VALIDATION_FAILED`); lists take `?limit=&cursor=` and answer `{"items","nextCursor"}`; writes that can race carry `version` (409 `VERSION_CONFLICT`). Outside production every response carries `x-query-count` and `x-request-id`.',
    },
    securitySchemes: {
      accessToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'An access token for one tenant (≤ 5 minutes) from `POST /api/central/tokens`: tenant, user and role come from it. Cookies are never accepted under `/api/v1`.',
      },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'better-auth.session_token',
        description: "better-auth's session cookie, set by `POST /api/auth/sign-in/email` (`__Secure-better-auth.session_token` when PUBLIC_URL is https). A request other than GET that carries it must come from PUBLIC_URL's origin.",
      },
      apiKey: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'keel_…',
        description: "An organization's API key, exchanged at `POST /api/central/tokens` for an access token of its tenant.",
      },
      regionCredential: {
        type: 'http',
        scheme: 'bearer',
        description: "A region's feed credential (`KEEL_REGION_CREDENTIAL`): regions reading central's feed.",
      },
    },
    areas: [
      ...(regional ? [{ prefix: '/api/v1', security: [{ accessToken: [] }] }] : []),
      ...(central
        ? [
            {
              prefix: '/api/central',
              security: [{ session: [] }],
              routeSecurity: {
                'GET /api/central/jwks.json': [],
                'GET /api/central/regions': [],
                // The invitation's token, in the query, is the credential.
                'GET /api/central/invitations/preview': [],
                'GET /api/central/feed': [{ regionCredential: [] }],
                'GET /api/central/plans': [],
                'POST /api/central/usage': [{ regionCredential: [] }],
                'POST /api/central/tokens': [{ session: [] }, { apiKey: [] }],
              },
            },
            // better-auth's routes read the session cookie where they need one (`{}`: or none).
            { prefix: '/api/auth', security: [{ session: [] }, {}], errors: { 400: ['AUTH_REQUEST_REFUSED'] } },
          ]
        : []),
    ],
    errors: {
      refusals: {
        accessToken: {
          401: [AuthTokenMissingError, AuthTokenInvalidError, AuthTokenExpiredError, AuthTokenRevokedError, AuthTokenWrongRegionError].map(codeOf),
          // The region has not yet fetched central's public keys, and central does not answer.
          503: [codeOf(CentralUnavailableError)],
        },
        session: { 401: ['AUTH_SESSION_MISSING'] },
        apiKey: { 401: ['AUTH_API_KEY_INVALID'] },
        regionCredential: { 401: [codeOf(RegionCredentialInvalidError)] },
      },
      writeRefusals: { session: { 403: ['AUTH_ORIGIN_REFUSED'] } },
      belowMinimumRole: { 403: [codeOf(ForbiddenRoleError)] },
      // better-auth's answers as Keel's adapter maps them (packages/central/src/identity/routes.ts).
      operations: {
        'POST /api/auth/sign-up/email': { 400: ['AUTH_PASSWORD_TOO_WEAK'], 409: ['AUTH_EMAIL_TAKEN'] },
        'POST /api/auth/sign-in/email': { 401: ['AUTH_INVALID_CREDENTIALS'], 429: ['AUTH_RATE_LIMITED'] },
        'POST /api/auth/request-password-reset': { 429: ['AUTH_RATE_LIMITED'] },
        'POST /api/auth/send-verification-email': { 429: ['AUTH_RATE_LIMITED'] },
        'POST /api/auth/reset-password': { 400: ['AUTH_RESET_TOKEN_INVALID', 'AUTH_PASSWORD_TOO_WEAK'] },
        'GET /api/auth/verify-email': { 400: ['AUTH_VERIFICATION_TOKEN_INVALID'] },
        'POST /api/auth/change-password': { 400: ['AUTH_CURRENT_PASSWORD_WRONG', 'AUTH_PASSWORD_TOO_WEAK'], 403: ['AUTH_SESSION_NOT_FRESH'] },
        'POST /api/central/tokens': { 503: [codeOf(CentralUnavailableError)] },
        // Plans and subscriptions (packages/central/src/subscriptions/errors.ts, contracts/plan-errors.ts).
        'POST /api/central/organizations/{organizationId}/subscription/upgrade': { 402: ['PAYMENT_DECLINED'], 409: ['PLAN_CHANGE_INVALID'] },
        'POST /api/central/organizations/{organizationId}/subscription/downgrade': { 409: ['PLAN_CHANGE_INVALID', 'PLAN_DOWNGRADE_BLOCKED'] },
        'POST /api/central/organizations/{organizationId}/subscription/resume': { 409: ['SUBSCRIPTION_NOT_RESUMABLE'] },
        'POST /api/central/invitations/accept': { 402: [codeOf(PlanLimitReachedError)] },
        'POST /api/central/organizations/{organizationId}/api-keys': { 402: [codeOf(PlanLimitReachedError)] },
      },
    },
    // better-auth's own document (its openAPI plugin, enabled in packages/central/src/identity/auth.ts).
    merge: central ? [{ prefix: '/api/auth', documentUrl: '/api/auth/open-api/generate-schema', tag: { name: 'accounts', description: 'Accounts and sessions (better-auth).' }, only: AUTH_ENDPOINTS }] : [],
  };
}

function codeOf(error: { definition: { code: string } }): string {
  return error.definition.code;
}
