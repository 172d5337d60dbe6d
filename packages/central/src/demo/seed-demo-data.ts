import { and, eq, inArray, sql } from 'drizzle-orm';
import { verifyPassword } from 'better-auth/crypto';
import type { Clock, Database, Logger } from '@keel/kernel';
import { CENTRAL_EVENT_TYPES, type DemoDataRequestedPayload } from '../contracts/feed.ts';
import { appendToFeed } from '../feed/append-to-feed.ts';
import type { Auth } from '../identity/auth.ts';
import { accounts, users } from '../identity/schema.ts';
import { createOrganization } from '../organizations/create-organization.ts';
import { memberships, organizations } from '../organizations/schema.ts';
import { createDevelopmentPaymentProvider, type PaymentProvider } from '../subscriptions/payments.ts';
import { lockSubscription, upgrade } from '../subscriptions/subscription-changes.ts';
import type { TenantRole } from '@keel/kernel';

/** Every demo account signs in with this password (printed once, when the accounts are made). */
export const DEMO_PASSWORD = 'keel-demo-password';

interface DemoOrganization {
  name: string;
  slug: string;
  currency: string;
  timezone: string;
  /** The first is the owner who creates the organization. */
  people: readonly { email: string; name: string; role: TenantRole }[];
  /** How much sample data the home region makes for it. */
  sampleData: DemoDataRequestedPayload['profile'];
  /** Its plan, when Free's limits are too small for its sample data (charged by the payment provider like any upgrade). */
  plan?: 'pro' | 'platinum';
}

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    name: 'Acme Retail',
    slug: 'acme',
    currency: 'USD',
    timezone: 'America/New_York',
    people: [
      { email: 'owner@acme.test', name: 'Olivia Owner', role: 'owner' },
      { email: 'admin@acme.test', name: 'Adam Admin', role: 'admin' },
      { email: 'clerk@acme.test', name: 'Clara Clerk', role: 'member' },
    ],
    sampleData: 'full',
    // 3 stores and about 170 orders a month: more than Free allows.
    plan: 'pro',
  },
  {
    name: 'Globex',
    slug: 'globex',
    currency: 'EUR',
    timezone: 'Europe/Madrid',
    people: [{ email: 'owner@globex.test', name: 'Gabriel Owner', role: 'owner' }],
    sampleData: 'small',
  },
];

/** Any fixed key; it only has to differ from the migrator's and the feed's. */
const SEED_LOCK = 7_305_861_042_915n;

/**
 * On a central without them, creates the demo organizations (as tenants, announced on the feed
 * like any other, so the region provisions them) and their people with verified emails, asks the
 * home region for sample data (`tenant.demo_data_requested`), and logs the sign-in details. Instances starting together seed once: the work runs under an advisory
 * lock and skips organizations whose slug exists.
 */
export async function seedDemoData(input: { database: Database; auth: () => Auth; homeRegion: string; clock: Clock; logger: Logger; payments?: PaymentProvider }): Promise<void> {
  const { database, auth, homeRegion, clock, logger } = input;
  const payments = input.payments ?? createDevelopmentPaymentProvider(logger);
  await database.transaction(async (lock) => {
    await lock.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK.toString()}::bigint)`);
    const existing = await database.select({ slug: organizations.slug }).from(organizations).where(inArray(organizations.slug, DEMO_ORGANIZATIONS.map((organization) => organization.slug)));
    const missing = DEMO_ORGANIZATIONS.filter((organization) => !existing.some((row) => row.slug === organization.slug));
    for (const organization of missing) await seedOrganization(organization);
    if (missing.length === 0) return;
    const lines = missing.flatMap((organization) => organization.people.map((person) => `  ${person.email.padEnd(20)} ${person.role.padEnd(7)} ${organization.name}`));
    logger.info({ demoAccounts: missing.flatMap((organization) => organization.people.map((person) => person.email)) }, `demo data created; sign in with password "${DEMO_PASSWORD}" as:\n${lines.join('\n')}\n(KEEL_SEED=false turns this off)`);
  });

  async function seedOrganization(organization: DemoOrganization): Promise<void> {
    const userIds = [];
    for (const person of organization.people) userIds.push(await demoUser(person));
    const [ownerId, ...others] = userIds;
    // One transaction: a seed that fails half-way leaves no organization, and the next start retries.
    await database.transaction(async (tx) => {
      const { id } = await createOrganization(tx, { userId: ownerId!, homeRegion, body: organization, now: clock.now() });
      const colleagues = organization.people.slice(1).map((person, index) => ({ organizationId: id, userId: others[index]!, role: person.role }));
      if (colleagues.length > 0) await tx.insert(memberships).values(colleagues);
      // Before the sample data is asked for: the region applies the plan first (the feed keeps the order).
      if (organization.plan) await upgrade({ tx, payments, now: clock.now(), organization: { id, homeRegion }, actor: { userId: ownerId! } }, await lockSubscription(tx, id), organization.plan);
      const sampleData: DemoDataRequestedPayload = { tenantId: id, profile: organization.sampleData, asOf: clock.now().toISOString() };
      await appendToFeed(tx, [{ type: CENTRAL_EVENT_TYPES.demoDataRequested, tenantId: id, region: homeRegion, payload: sampleData }]);
    });
  }

  /**
   * The demo person's account, made (email verified) unless an earlier seed made it — that is, it
   * has the demo password. An account someone else registered with a demo email is never adopted.
   */
  async function demoUser(person: { email: string; name: string }): Promise<string> {
    const [found] = await database
      .select({ id: users.id, password: accounts.password })
      .from(users)
      .leftJoin(accounts, and(eq(accounts.userId, users.id), eq(accounts.providerId, 'credential')))
      .where(eq(users.email, person.email));
    if (found) {
      if (found.password === null || !(await verifyPassword({ hash: found.password, password: DEMO_PASSWORD }))) throw new DemoAccountTakenError(person.email);
      return found.id;
    }
    const { user } = await auth().api.signUpEmail({ body: { email: person.email, password: DEMO_PASSWORD, name: person.name } });
    await database.update(users).set({ emailVerified: true }).where(eq(users.id, user.id));
    return user.id;
  }
}

/** Seeding stops rather than make someone else's account the owner of a demo organization. */
export class DemoAccountTakenError extends Error {
  constructor(email: string) {
    super(`cannot seed the demo data: ${email} belongs to an account the seed did not make (start with KEEL_SEED=false, or use a fresh data directory)`);
  }
}
