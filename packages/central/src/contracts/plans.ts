import { z } from 'zod';

/**
 * Plans and the limits a region enforces (specs/subscriptions.md). A limit of `null` is unlimited.
 * Central owns plans and subscriptions; regions learn a tenant's plan from `tenant.plan_changed`
 * and enforce it locally, without calling central on the request path.
 */
export const PLAN_IDS = ['free', 'pro', 'platinum'] as const;
export const planIdSchema = z.enum(PLAN_IDS);
export type PlanId = z.infer<typeof planIdSchema>;

const limit = z.number().int().min(0).nullable();

export const planLimitsSchema = z.object({
  stores: limit,
  members: limit,
  /** Orders created per calendar month in the tenant's time zone. */
  ordersPerMonth: limit,
  /** Rows imported per calendar month in the tenant's time zone. */
  importRowsPerMonth: limit,
  webhookEndpoints: limit,
  apiKeys: limit,
});
export type PlanLimits = z.infer<typeof planLimitsSchema>;
export type LimitName = keyof PlanLimits;

/**
 * A tenant's plan as the region applies it. `access` is `ended` once a Free subscription is
 * cancelled (every request of the tenant is then refused); `revision` grows with every change of
 * the subscription, so a region applies only newer ones (SNS may deliver out of order).
 */
export const tenantPlanChangedPayload = z.object({
  tenantId: z.uuid(),
  plan: planIdSchema,
  limits: planLimitsSchema,
  access: z.enum(['active', 'ended']),
  revision: z.number().int().min(1),
  changedAt: z.iso.datetime(),
});
export type TenantPlanChangedPayload = z.infer<typeof tenantPlanChangedPayload>;

export const TENANT_PLAN_CHANGED = 'tenant.plan_changed';

/**
 * What a region reports to central about a tenant's usage (`POST /api/central/usage` with the
 * region's credential): the figures central needs to refuse a downgrade the tenant has outgrown.
 * Regions call central; central never calls a region.
 */
export const usageReportSchema = z.object({
  region: z.string().min(1),
  tenants: z
    .array(
      z.object({
        tenantId: z.uuid(),
        measuredAt: z.iso.datetime(),
        stores: z.number().int().min(0),
        webhookEndpoints: z.number().int().min(0),
        ordersThisMonth: z.number().int().min(0),
        importRowsThisMonth: z.number().int().min(0),
      }),
    )
    .max(1_000),
});
export type UsageReport = z.infer<typeof usageReportSchema>;
export const USAGE_REPORT_PATH = '/api/central/usage';
