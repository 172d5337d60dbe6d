import { sql } from 'drizzle-orm';
import type { Clock, HttpApp, TenantTransaction, WithTenant } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import { TenantProvisioningError } from '../tenants/errors.ts';
import { USAGE_METRICS } from './usage-meter.ts';
import { toUsageFigures, usageResponse, type PlanFiguresRow, type UsageResponse } from './usage-schemas.ts';

/** `GET /api/v1/usage`: the owner sees the plan the region enforces and the usage against its limits (SUB-039). */
export function usageRoutes(app: HttpApp, deps: { withTenant: WithTenant; clock: Clock }): void {
  app.get('/usage', { preHandler: requireRole('owner'), schema: { tags: ['usage'], response: { 200: usageResponse } } }, async () => {
    const now = deps.clock.now();
    return deps.withTenant((tx, tenantId) => readUsage(tx, tenantId, now));
  });
}

interface UsageRow extends Record<string, unknown>, PlanFiguresRow {
  plan: UsageResponse['plan'];
  limits: UsageResponse['limits'];
  access: UsageResponse['access'];
  today: Record<string, number> | null;
}

/** One statement: the plan, the figures its limits count, and today's metered usage. */
async function readUsage(tx: TenantTransaction, tenantId: string, now: Date): Promise<UsageResponse> {
  const at = now.toISOString();
  const result = await tx.execute<UsageRow>(sql`
    select p.plan, p.limits, p.access, figures.*,
           (select json_object_agg(metrics.metric, metrics.value)
              from usage_by_day metrics
             where metrics.tenant_id = p.tenant_id and metrics.day = (${at}::timestamptz at time zone t.timezone)::date) as today
      from tenant_plans p
      join tenants t on t.tenant_id = p.tenant_id
      cross join lateral keel_plan_figures(p.tenant_id, ${at}::timestamptz) as figures
     where p.tenant_id = ${tenantId}`);
  const row = result.rows[0];
  if (!row) throw new TenantProvisioningError({ headers: { 'retry-after': '2' } });
  const today = Object.fromEntries(USAGE_METRICS.map((metric) => [metric, Number(row.today?.[metric] ?? 0)])) as UsageResponse['today'];
  return { plan: row.plan, limits: row.limits, access: row.access, usage: toUsageFigures(row), today };
}
