import { ApiError } from './api-error.ts';
import { requestJson, type Fetch, type JsonRequest } from './http.ts';
import { createTenantTokens } from './tenant-tokens.ts';
import type {
  AccessToken,
  ApiKey,
  AuditEntry,
  AuthSession,
  CreateOrganizationInput,
  InvitationPreview,
  Invitation,
  Items,
  Member,
  Organization,
  OrderDetail,
  OrderListItem,
  Page,
  Product,
  Review,
  Session,
  Store,
} from './types.ts';

/** The region refused the token itself: a new one may be accepted (a role change revokes the old). */
const REFRESHABLE = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_REVOKED']);

export interface KeelClientOptions {
  /** Defaults to the browser's fetch on the page's origin. */
  fetch?: Fetch;
  /** Milliseconds since the epoch, for token expiry. */
  now?: () => number;
}

export type KeelClient = ReturnType<typeof createKeelClient>;
export type TenantApi = ReturnType<KeelClient['tenant']>;

type Query = Record<string, string | number | boolean | undefined>;

/**
 * Everything the app asks Keel, over HTTP on one origin (the edge):
 * - `auth` (better-auth, `/api/auth`) and `central` (`/api/central`) with the session cookie;
 * - `tenant(id)` (`/api/v1`) with a bearer token for that tenant, fetched from central, cached
 *   per tenant, and renewed once when the region refuses it as expired or revoked.
 * Every failure is thrown as an ApiError.
 */
export function createKeelClient(options: KeelClientOptions = {}) {
  const fetcher: Fetch = options.fetch ?? ((path, init) => globalThis.fetch(path, init));
  const withSession = <T>(path: string, request: JsonRequest = {}) => requestJson<T>(fetcher, path, { ...request, credentials: 'include' });
  const post = <T>(path: string, body: unknown = {}) => withSession<T>(path, { method: 'POST', body });

  const tokens = createTenantTokens({
    issue: (tenantId) => post<AccessToken>('/api/central/tokens', { tenantId }),
    now: options.now ?? Date.now,
  });

  const auth = {
    session: async () => (await withSession<Session | null | undefined>('/api/auth/get-session')) ?? null,
    signIn: (email: string, password: string) => post<unknown>('/api/auth/sign-in/email', { email, password }),
    signUp: (input: { name: string; email: string; password: string }) => post<unknown>('/api/auth/sign-up/email', input),
    signOut: async () => {
      tokens.clear();
      await post<unknown>('/api/auth/sign-out');
    },
    requestPasswordReset: (email: string) => post<unknown>('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' }),
    resetPassword: (token: string, newPassword: string) => post<unknown>('/api/auth/reset-password', { token, newPassword }),
    sessions: () => withSession<AuthSession[]>('/api/auth/list-sessions'),
  };

  const org = (organizationId: string) => `/api/central/organizations/${encodeURIComponent(organizationId)}`;
  const central = {
    organizations: () => withSession<Items<Organization>>('/api/central/organizations'),
    createOrganization: (input: CreateOrganizationInput) => post<Organization>('/api/central/organizations', input),
    regions: () => withSession<Items<{ id: string }>>('/api/central/regions'),
    members: (organizationId: string) => withSession<Items<Member>>(`${org(organizationId)}/members`),
    invitations: (organizationId: string) => withSession<Items<Invitation>>(`${org(organizationId)}/invitations`),
    apiKeys: (organizationId: string) => withSession<Items<ApiKey>>(`${org(organizationId)}/api-keys`),
    audit: (organizationId: string, query: Query = {}) => withSession<Page<AuditEntry>>(`${org(organizationId)}/audit${queryString(query)}`),
    previewInvitation: (token: string) => withSession<InvitationPreview>(`/api/central/invitations/preview${queryString({ token })}`),
    acceptInvitation: (token: string) => post<Organization>('/api/central/invitations/accept', { token }),
  };

  /** `/api/v1` for one tenant. */
  function tenant(tenantId: string) {
    async function request<T>(path: string, request: JsonRequest = {}): Promise<T> {
      const token = await tokens.get(tenantId);
      try {
        return await requestJson<T>(fetcher, `/api/v1${path}`, bearer(request, token.token));
      } catch (error) {
        if (!(error instanceof ApiError) || !REFRESHABLE.has(error.code)) throw error;
        const renewed = await tokens.get(tenantId, token.token);
        return requestJson<T>(fetcher, `/api/v1${path}`, bearer(request, renewed.token));
      }
    }
    return {
      tenantId,
      request,
      /** The tenant's current bearer token (uploads to a signed URL of the region send it too). */
      token: async () => (await tokens.get(tenantId)).token,
      stores: (query: Query = {}) => request<Page<Store>>(`/stores${queryString(query)}`),
      store: (storeId: string) => request<Store>(`/stores/${encodeURIComponent(storeId)}`),
      reviews: (storeId: string, query: Query = {}) => request<Page<Review>>(`/stores/${encodeURIComponent(storeId)}/reviews${queryString(query)}`),
      products: (query: Query = {}) => request<Page<Product>>(`/products${queryString(query)}`),
      orders: (query: Query = {}) => request<Page<OrderListItem>>(`/orders${queryString(query)}`),
      order: (orderId: string) => request<OrderDetail>(`/orders/${encodeURIComponent(orderId)}`),
    };
  }

  return { auth, central, tenant, tokens };
}

function bearer(request: JsonRequest, token: string): JsonRequest {
  return { ...request, credentials: 'omit', headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

/** `?a=1&b=x` from the defined values, or '' when there are none. */
export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
