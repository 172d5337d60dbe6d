import type { AccessToken } from './types.ts';

/** A cached token is reused until this long before its `expiresAt`. */
export const TOKEN_REFRESH_MARGIN_MS = 30_000;

/**
 * Access tokens for `/api/v1`, one per tenant, kept in memory only. Keyed by tenant id, so pages of
 * two tenants (two tabs, or one tab switching organization) never use each other's token. Callers
 * asking at once share one request to central.
 */
export function createTenantTokens(options: { issue: (tenantId: string) => Promise<AccessToken>; now: () => number }) {
  const tokens = new Map<string, Promise<AccessToken>>();

  function issue(tenantId: string): Promise<AccessToken> {
    const issued = options.issue(tenantId);
    tokens.set(tenantId, issued);
    // A failed issue is not cached: the next call asks again.
    issued.catch(() => tokens.get(tenantId) === issued && tokens.delete(tenantId));
    return issued;
  }

  /**
   * The tenant's token: the cached one while it has more than the margin left, else a new one.
   * `refused` is a token the region refused (expired or revoked): it is never returned again.
   */
  async function get(tenantId: string, refused?: string): Promise<AccessToken> {
    const pending = tokens.get(tenantId);
    if (pending === undefined) return issue(tenantId);
    const token = await pending.catch(() => undefined);
    if (token !== undefined && token.token !== refused && Date.parse(token.expiresAt) - TOKEN_REFRESH_MARGIN_MS > options.now()) return token;
    // Another caller may have replaced it meanwhile: share theirs rather than ask again.
    const latest = tokens.get(tenantId);
    if (latest !== undefined && latest !== pending) return get(tenantId, refused);
    return issue(tenantId);
  }

  /** Forgets every token (signing out). */
  function clear(): void {
    tokens.clear();
  }

  return { get, clear };
}
