import { eq } from 'drizzle-orm';
import type { Clock, Database } from '@keel/kernel';
import { recordAudit } from '../audit/record-audit.ts';
import { CENTRAL_EVENT_TYPES, type TenantRenamedPayload } from '../contracts/feed.ts';
import { appendToFeed } from '../feed/append-to-feed.ts';
import { lockOrganizationAsMember, toOrganizationDto } from '../members/organization-lock.ts';
import { organizations } from './schema.ts';
import type { OrganizationDto } from './schemas.ts';

/**
 * Renames an organization (admins and owners) and announces it to its home region as
 * `tenant.renamed`, with the audit entry, in one transaction. The same name changes nothing.
 */
export async function renameOrganization(database: Database, clock: Clock, input: { organizationId: string; userId: string; name: string }): Promise<OrganizationDto> {
  return database.transaction(async (tx) => {
    const { organization, role } = await lockOrganizationAsMember(tx, { organizationId: input.organizationId, userId: input.userId, minimum: 'admin' });
    if (organization.name === input.name) return toOrganizationDto(organization, role);
    await tx.update(organizations).set({ name: input.name }).where(eq(organizations.id, organization.id));
    const payload: TenantRenamedPayload = { tenantId: organization.id, name: input.name };
    await appendToFeed(tx, [{ type: CENTRAL_EVENT_TYPES.tenantRenamed, tenantId: organization.id, region: organization.homeRegion, payload }]);
    await recordAudit(tx, { organizationId: organization.id, actor: { userId: input.userId }, action: 'organization.renamed', details: { from: organization.name, to: input.name }, at: clock.now() });
    return toOrganizationDto({ ...organization, name: input.name }, role);
  });
}
