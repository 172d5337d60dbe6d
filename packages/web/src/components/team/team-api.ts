import { requestJson, type JsonRequest } from '../../api/http.ts';
import type { Role } from '../../api/types.ts';

/**
 * The changes the team pages make, with the session cookie (the browser sends the page's Origin on
 * writes, which central and better-auth check). Reads go through the app's client (`keel.central`,
 * `keel.auth`); these are the writes it does not have. Every failure is thrown as an ApiError.
 */
function withSession<T>(path: string, request: JsonRequest = {}): Promise<T> {
  return requestJson<T>((url, init) => globalThis.fetch(url, init), path, { ...request, credentials: 'include' });
}

const organization = (organizationId: string) => `/api/central/organizations/${encodeURIComponent(organizationId)}`;

export interface CreatedApiKey {
  id: string;
  name: string;
  role: 'member' | 'admin';
  prefix: string;
  /** The key itself: in this answer only, never again. */
  key: string;
  createdAt: string;
}

export const teamApi = {
  invite: (organizationId: string, body: { email: string; role: Role }) =>
    withSession<{ id: string; email: string; role: Role; expiresAt: string }>(`${organization(organizationId)}/invitations`, { method: 'POST', body }),
  revokeInvitation: (organizationId: string, invitationId: string) =>
    withSession<void>(`${organization(organizationId)}/invitations/${encodeURIComponent(invitationId)}`, { method: 'DELETE' }),
  changeRole: (organizationId: string, userId: string, role: Role) =>
    withSession<unknown>(`${organization(organizationId)}/members/${encodeURIComponent(userId)}`, { method: 'PATCH', body: { role } }),
  removeMember: (organizationId: string, userId: string) => withSession<void>(`${organization(organizationId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
  leave: (organizationId: string) => withSession<void>(`${organization(organizationId)}/leave`, { method: 'POST' }),

  createApiKey: (organizationId: string, body: { name: string; role: 'member' | 'admin' }) =>
    withSession<CreatedApiKey>(`${organization(organizationId)}/api-keys`, { method: 'POST', body }),
  revokeApiKey: (organizationId: string, apiKeyId: string) => withSession<void>(`${organization(organizationId)}/api-keys/${encodeURIComponent(apiKeyId)}`, { method: 'DELETE' }),

  changePassword: (body: { currentPassword: string; newPassword: string; revokeOtherSessions: boolean }) =>
    withSession<unknown>('/api/auth/change-password', { method: 'POST', body }),
  /** Ends one session of the signed-in account, by its token (from `list-sessions`). */
  revokeSession: (token: string) => withSession<unknown>('/api/auth/revoke-session', { method: 'POST', body: { token } }),
};
