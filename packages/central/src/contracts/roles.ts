import type { TenantRole } from '@keel/kernel';

const rank: Record<TenantRole, number> = { member: 0, admin: 1, owner: 2 };

/** Roles nest: an owner may do what an admin may, an admin what a member may (specs/tenancy.md, the role table). */
export function roleAtLeast(role: TenantRole | undefined, minimum: TenantRole): boolean {
  return role !== undefined && rank[role] >= rank[minimum];
}
