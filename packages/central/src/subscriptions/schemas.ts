import { z } from 'zod';
import { planIdSchema, planLimitsSchema } from '../contracts/plans.ts';

export const planSchema = z.object({
  id: planIdSchema,
  name: z.string(),
  /** Per month, in minor units of `currency`; 0 for Free. For display: payment is the payment port's. */
  priceMinor: z.number().int(),
  currency: z.string(),
  /** null: unlimited. */
  limits: planLimitsSchema,
});
export type PlanDto = z.infer<typeof planSchema>;
export const planList = z.object({ items: z.array(planSchema) });

export const subscriptionParams = z.strictObject({ organizationId: z.uuid() });
export const changePlanBody = z.strictObject({ plan: planIdSchema });

const count = z.number().int().min(0);

/**
 * What the organization uses, by limit name: members and API keys counted by central now; the
 * others from the home region's last usage report (`measuredAt`), null until one arrived.
 * `ordersPerMonth` and `importRowsPerMonth` are this calendar month's, in the tenant's time zone.
 */
export const usageSchema = z.object({
  stores: count.nullable(),
  members: count,
  ordersPerMonth: count.nullable(),
  importRowsPerMonth: count.nullable(),
  webhookEndpoints: count.nullable(),
  apiKeys: count,
  /** When the region measured its figures; null before its first report. */
  measuredAt: z.iso.datetime().nullable(),
});
export type UsageDto = z.infer<typeof usageSchema>;

export const subscriptionSchema = z.object({
  organizationId: z.uuid(),
  plan: planIdSchema,
  limits: planLimitsSchema,
  /** `ended` once a Free subscription is cancelled: the tenant has no access until the owner upgrades. */
  status: z.enum(['active', 'ended']),
  currentPeriodStart: z.iso.datetime(),
  /** null on Free. */
  currentPeriodEnd: z.iso.datetime().nullable(),
  /** Cancelled: full access until the period end, then Free. */
  cancelAtPeriodEnd: z.boolean(),
  /** A downgrade that takes effect at the period end. */
  pendingPlan: planIdSchema.nullable(),
  /** Grows by one with every change. */
  revision: z.number().int().min(1),
  usage: usageSchema,
});
export type SubscriptionDto = z.infer<typeof subscriptionSchema>;

export const usageReportAnswer = z.object({
  /** Tenants of the reporting region whose figures were taken (an older report than the one kept changes nothing). */
  accepted: count,
  /** Tenants that are not the reporting region's (unknown, or at home in another region): ignored. */
  ignored: count,
});
