import { and, asc, eq } from 'drizzle-orm';
import { postgresErrorOf, SQLSTATE, type Database } from '@keel/kernel';
import { CENTRAL_EVENT_TYPES, type TenantCreatedPayload } from '../contracts/feed.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { appendToFeed, type CentralTransaction } from '../feed/append-to-feed.ts';
import { memberships, organizations } from '../schema.ts';
import { startFreeSubscription } from '../subscriptions/subscription-changes.ts';
import { OrgSlugTakenError } from './errors.ts';
import type { CreateOrganizationBody, OrganizationDto } from './schemas.ts';

/**
 * Creates an organization (a tenant) in `homeRegion` with its creator as owner and its subscription
 * on Free, and announces it on the feed as `tenant.created` then `tenant.plan_changed` (revision 1)
 * — all in one transaction, so a region hears of exactly the organizations that exist, each with
 * its plan. `now` (central's clock) starts the subscription; default: the organization's creation.
 */
export async function createOrganization(database: Database | CentralTransaction, input: { userId: string; homeRegion: string; body: CreateOrganizationBody; now?: Date }): Promise<OrganizationDto> {
  const { body, userId, homeRegion } = input;
  try {
    return await database.transaction(async (tx) => {
      const [row] = await tx
        .insert(organizations)
        .values({ name: body.name, slug: body.slug, homeRegion, currency: body.currency, timezone: body.timezone })
        .returning();
      const organization = row!;
      await tx.insert(memberships).values({ organizationId: organization.id, userId, role: 'owner' });
      const payload: TenantCreatedPayload = { tenantId: organization.id, name: organization.name, currency: organization.currency, timezone: organization.timezone };
      const now = input.now ?? organization.createdAt;
      const plan = await startFreeSubscription(tx, { organizationId: organization.id, homeRegion, now });
      await recordAudit(tx, { organizationId: organization.id, actor: { userId }, action: 'organization.created', details: { name: organization.name, slug: organization.slug }, at: now });
      await appendToFeed(tx, [{ type: CENTRAL_EVENT_TYPES.tenantCreated, tenantId: organization.id, region: homeRegion, payload }, plan]);
      return toDto({ ...organization, role: 'owner' });
    });
  } catch (error) {
    if (postgresErrorOf(error, SQLSTATE.uniqueViolation)?.constraint === 'organizations_slug_unique') throw new OrgSlugTakenError({ cause: error });
    throw error;
  }
}

/** The organizations the user is a member of, with the user's role, by name. */
export async function listMyOrganizations(database: Database, userId: string): Promise<OrganizationDto[]> {
  const rows = await database
    .select({
      id: organizations.id,
      name: organizations.name,
      slug: organizations.slug,
      homeRegion: organizations.homeRegion,
      currency: organizations.currency,
      timezone: organizations.timezone,
      createdAt: organizations.createdAt,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name), asc(organizations.id));
  return rows.map(toDto);
}

/** The user's membership in an organization, with the organization's home region; undefined when none. */
export async function findMembership(database: Database | CentralTransaction, input: { userId: string; organizationId: string }): Promise<{ role: OrganizationDto['role']; region: string } | undefined> {
  const [row] = await membershipQuery(database, input);
  return row;
}

/**
 * The same, holding a share lock on the organization's row until the transaction ends: member
 * changes lock it for update and only then read the clock for their `revokedAt`, so a token signed
 * under this lock is never issued after a revocation that would have to cut it. The lock is taken
 * first and the membership read by a statement of its own: under READ COMMITTED a statement that
 * waited for the lock would still read the membership as it was before the change it waited for.
 */
export async function findMembershipLocked(tx: CentralTransaction, input: { userId: string; organizationId: string }): Promise<{ role: OrganizationDto['role']; region: string } | undefined> {
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.organizationId)).for('share');
  return findMembership(tx, input);
}

function membershipQuery(database: Database | CentralTransaction, input: { userId: string; organizationId: string }) {
  return database
    .select({ role: memberships.role, region: organizations.homeRegion })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.organizationId, input.organizationId), eq(memberships.userId, input.userId)));
}

/** The organization as `GET /api/central/organizations` lists it, with the user's role. */
export function toDto(row: { id: string; name: string; slug: string; homeRegion: string; currency: string; timezone: string; createdAt: Date; role: OrganizationDto['role'] }): OrganizationDto {
  return { id: row.id, name: row.name, slug: row.slug, region: row.homeRegion, currency: row.currency, timezone: row.timezone, role: row.role, createdAt: row.createdAt.toISOString() };
}
