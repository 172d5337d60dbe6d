import { sql } from 'drizzle-orm';
import { bigint, check, date, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { PlanLimits } from '@keel/central/contracts';

/**
 * The tenant's plan as central last published it (`tenant.plan_changed`): what the region enforces,
 * without asking central. Only a higher `revision` replaces it (SNS may deliver out of order). No
 * foreign key to `tenants`: the plan may arrive before `tenant.created` is applied.
 *
 * The worker role may read its `tenant_id` column (and nothing else of it): the usage reporter lists
 * the region's tenants from here (see the migration).
 */
export const tenantPlans = pgTable(
  'tenant_plans',
  {
    tenantId: uuid('tenant_id').primaryKey(),
    plan: text('plan').notNull(),
    /** planLimitsSchema: every limit of the plan, `null` being unlimited. */
    limits: jsonb('limits').$type<PlanLimits>().notNull(),
    /** `ended`: every `/api/v1` request of the tenant is refused (SUBSCRIPTION_ENDED). */
    access: text('access', { enum: ['active', 'ended'] }).notNull(),
    revision: integer('revision').notNull(),
    /** When central changed the subscription (central's clock). */
    changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** When this region applied it. */
    appliedAt: timestamp('applied_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    check('tenant_plans_plan_check', sql`${table.plan} in ('free', 'pro', 'platinum')`),
    check('tenant_plans_access_check', sql`${table.access} in ('active', 'ended')`),
    check('tenant_plans_revision_check', sql`${table.revision} >= 1`),
  ],
);

/**
 * Metered usage per tenant, day and metric: the data the cost model reads. Counters are
 * incremented in the transaction of the effect they count, on the day the database stamps it
 * (`now()`, the transaction's time, as `created_at` is) in the tenant's time zone.
 *
 * A counter is split in `shard`s, one per database session (`pg_backend_pid() % 64`): with one
 * row per tenant, day and metric, every metered transaction of a tenant waited for the previous
 * one's commit (the row lock of the upsert), which the webhooks benchmark showed. Readers sum the
 * shards, through the view `usage_by_day`.
 */
export const usageCounters = pgTable(
  'usage_counters',
  {
    tenantId: uuid('tenant_id').notNull(),
    /** The tenant's local date. */
    day: date('day', { mode: 'string' }).notNull(),
    metric: text('metric').notNull(),
    shard: smallint('shard').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.day, table.metric, table.shard] }), check('usage_counters_value_check', sql`${table.value} >= 0`)],
);

/**
 * The unsharded counters of the previous version, which its instances still write during a rolling
 * deploy (their upsert names this primary key); `usage_by_day` adds them in. A later migration folds
 * them into `usage_counters` and drops the table.
 */
export const usageDaily = pgTable(
  'usage_daily',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    metric: text('metric').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.day, table.metric] }), check('usage_daily_value_check', sql`${table.value} >= 0`)],
);
