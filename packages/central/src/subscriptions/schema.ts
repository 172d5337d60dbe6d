import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from '../organizations/schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** A plan's limit: null is unlimited. */
const limit = (name: string) => integer(name);

/**
 * Plans as data (specs/subscriptions.md): seeded by migration 0012, read by central whenever it
 * needs a plan's limits or price. The ids are the contract's `PLAN_IDS`; prices are for display
 * and for the payment port, in minor units of `currency`.
 */
export const plans = pgTable(
  'plans',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Orders plans: a higher rank is an upgrade, a lower one a downgrade. */
    rank: integer('rank').notNull().unique(),
    priceMinor: integer('price_minor').notNull(),
    currency: text('currency').notNull(),
    maxStores: limit('max_stores'),
    maxMembers: limit('max_members'),
    maxOrdersPerMonth: limit('max_orders_per_month'),
    maxImportRowsPerMonth: limit('max_import_rows_per_month'),
    maxWebhookEndpoints: limit('max_webhook_endpoints'),
    maxApiKeys: limit('max_api_keys'),
  },
  (table) => [
    check('plans_id_check', sql`${table.id} in ('free', 'pro', 'platinum')`),
    check('plans_price_check', sql`${table.priceMinor} >= 0`),
    check(
      'plans_limits_check',
      sql`coalesce(${table.maxStores}, 0) >= 0 and coalesce(${table.maxMembers}, 0) >= 0 and coalesce(${table.maxOrdersPerMonth}, 0) >= 0 and coalesce(${table.maxImportRowsPerMonth}, 0) >= 0 and coalesce(${table.maxWebhookEndpoints}, 0) >= 0 and coalesce(${table.maxApiKeys}, 0) >= 0`,
    ),
  ],
);

/**
 * An organization's subscription, one per organization, created with it on Free. A paid plan runs
 * in monthly periods from `periodAnchor` (when it started); Free has no period end. `status` is the
 * tenant's access: `ended` once a Free subscription is cancelled. `revision` grows by one with every
 * change and is carried by `tenant.plan_changed`, so a region applies only newer ones.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    organizationId: uuid('organization_id')
      .primaryKey()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    plan: text('plan')
      .notNull()
      .references(() => plans.id),
    status: text('status', { enum: ['active', 'ended'] }).notNull(),
    currentPeriodStart: at('current_period_start').notNull(),
    /** Null on Free. */
    currentPeriodEnd: at('current_period_end'),
    /** When the paid plan started: periods end on its day of the month (null on Free). */
    periodAnchor: at('period_anchor'),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /** A downgrade that takes effect at the period end. */
    pendingPlan: text('pending_plan').references(() => plans.id),
    revision: integer('revision').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (table) => [
    check('subscriptions_status_check', sql`${table.status} in ('active', 'ended')`),
    check(
      'subscriptions_period_check',
      sql`(${table.plan} = 'free') = (${table.currentPeriodEnd} is null) and (${table.currentPeriodEnd} is null) = (${table.periodAnchor} is null)`,
    ),
    check('subscriptions_free_check', sql`${table.plan} <> 'free' or (not ${table.cancelAtPeriodEnd} and ${table.pendingPlan} is null)`),
    check('subscriptions_revision_check', sql`${table.revision} >= 1`),
    index('subscriptions_due_idx').on(table.currentPeriodEnd).where(sql`${table.currentPeriodEnd} is not null`),
  ],
);

/**
 * The latest usage figures a region reported for a tenant it is home to (`POST /api/central/usage`):
 * what central cannot count itself, read to refuse a downgrade the tenant has outgrown and shown to owners.
 */
export const usageReports = pgTable('usage_reports', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  region: text('region').notNull(),
  /** When the region measured (its clock); an older report never replaces a newer one. */
  measuredAt: at('measured_at').notNull(),
  stores: integer('stores').notNull(),
  webhookEndpoints: integer('webhook_endpoints').notNull(),
  ordersThisMonth: integer('orders_this_month').notNull(),
  importRowsThisMonth: integer('import_rows_this_month').notNull(),
  receivedAt: at('received_at').notNull(),
});
