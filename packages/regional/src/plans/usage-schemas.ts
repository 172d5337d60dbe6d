import { z } from 'zod';
import { planIdSchema, planLimitsSchema } from '@keel/central/contracts';
import { USAGE_METRICS, type UsageMetric } from './usage-meter.ts';

const figure = z.number().int().min(0);

/**
 * What the tenant uses of what its plan limits, as of the region clock's now: `ordersThisMonth` and
 * `importRowsThisMonth` in the calendar month of the tenant's time zone.
 */
export const usageFiguresSchema = z.object({
  stores: figure,
  ordersThisMonth: figure,
  importRowsThisMonth: figure,
  webhookEndpoints: figure,
});
export type UsageFigures = z.infer<typeof usageFiguresSchema>;

export const usageResponse = z.object({
  plan: planIdSchema,
  limits: planLimitsSchema,
  access: z.enum(['active', 'ended']),
  usage: usageFiguresSchema,
  /** Today's metered usage (the tenant's local date by the region clock), every metric, 0 when none. */
  today: z.object(Object.fromEntries(USAGE_METRICS.map((metric) => [metric, figure])) as Record<UsageMetric, typeof figure>),
});
export type UsageResponse = z.infer<typeof usageResponse>;

/** A row of `keel_plan_figures` (migration 0027). */
export interface PlanFiguresRow extends Record<string, unknown> {
  stores: number;
  orders_this_month: number;
  import_rows_this_month: number;
  webhook_endpoints: number;
}

export function toUsageFigures(row: PlanFiguresRow): UsageFigures {
  return { stores: row.stores, ordersThisMonth: row.orders_this_month, importRowsThisMonth: row.import_rows_this_month, webhookEndpoints: row.webhook_endpoints };
}
