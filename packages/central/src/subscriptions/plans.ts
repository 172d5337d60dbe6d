import { asc, eq } from 'drizzle-orm';
import type { Database } from '@keel/kernel';
import type { PlanId, PlanLimits } from '../contracts/plans.ts';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import { plans } from './schema.ts';
import type { PlanDto } from './schemas.ts';

export type PlanRow = typeof plans.$inferSelect;

/** Every plan, cheapest first. */
export async function listPlans(database: Database | CentralTransaction): Promise<PlanRow[]> {
  return database.select().from(plans).orderBy(asc(plans.rank));
}

export async function findPlan(database: Database | CentralTransaction, id: PlanId): Promise<PlanRow> {
  const [plan] = await database.select().from(plans).where(eq(plans.id, id));
  // The ids are the contract's, and migration 0012 seeds every one.
  if (!plan) throw new Error(`plan ${id} is missing from central's plans table`);
  return plan;
}

/** A plan's limits as regions enforce them (null: unlimited). */
export function limitsOf(plan: PlanRow): PlanLimits {
  return {
    stores: plan.maxStores,
    members: plan.maxMembers,
    ordersPerMonth: plan.maxOrdersPerMonth,
    importRowsPerMonth: plan.maxImportRowsPerMonth,
    webhookEndpoints: plan.maxWebhookEndpoints,
    apiKeys: plan.maxApiKeys,
  };
}

export function toPlanDto(plan: PlanRow): PlanDto {
  return { id: plan.id as PlanId, name: plan.name, priceMinor: plan.priceMinor, currency: plan.currency, limits: limitsOf(plan) };
}
