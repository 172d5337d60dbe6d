import type { Role } from '../../api/types.ts';

/**
 * What a role may do to the team, as specs/tenancy.md's role table says (central refuses the rest
 * with FORBIDDEN_ROLE; the pages offer only this). Admins manage members and admins; only owners
 * grant, change or take away the owner role.
 */

export const ROLES: readonly Role[] = ['member', 'admin', 'owner'];

/** The roles `actor` may invite as, or give someone: none for a member. */
export function grantableRoles(actor: Role): Role[] {
  if (actor === 'owner') return ['member', 'admin', 'owner'];
  if (actor === 'admin') return ['member', 'admin'];
  return [];
}

/** Whether `actor` may change the role of, or remove, a member whose role is `target` (or revoke an invitation as `target`). */
export function canManage(actor: Role, target: Role): boolean {
  return actor === 'owner' || (actor === 'admin' && target !== 'owner');
}
