import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { keel } from '../api/keel.ts';
import type { TenantApi } from '../api/client.ts';
import type { Organization, Role } from '../api/types.ts';

const OrganizationContext = createContext<Organization | null>(null);

/** Pages under /t/:slug read their organization (the tenant of the URL) from here. */
export function OrganizationProvider({ organization, children }: { organization: Organization; children: ReactNode }) {
  return <OrganizationContext.Provider value={organization}>{children}</OrganizationContext.Provider>;
}

export function useOrganization(): Organization {
  const organization = useContext(OrganizationContext);
  if (organization === null) throw new Error('useOrganization outside /t/:slug');
  return organization;
}

/** `/api/v1` for the organization of the URL: its own token, its own query keys. */
export function useTenantApi(): TenantApi {
  const { id } = useOrganization();
  return useMemo(() => keel.tenant(id), [id]);
}

/** A query key scoped to the organization of the URL: two organizations never share cached data. */
export function useTenantKey(): (...parts: unknown[]) => unknown[] {
  const { id } = useOrganization();
  return (...parts) => ['tenant', id, ...parts];
}

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** Whether the signed-in account's role in the organization is at least `minimum`. */
export function useRoleAtLeast(minimum: Role): boolean {
  return RANK[useOrganization().role] >= RANK[minimum];
}
