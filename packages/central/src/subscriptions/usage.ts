import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Clock, Database } from '@keel/kernel';
import { apiKeys } from '../api-keys/schema.ts';
import type { UsageReport } from '../contracts/plans.ts';
import type { CentralTransaction } from '../feed/append-to-feed.ts';
import { memberships, organizations } from '../organizations/schema.ts';
import { usageReports } from './schema.ts';
import type { UsageDto } from './schemas.ts';

type Executor = Database | CentralTransaction;

export async function countMembers(executor: Executor, organizationId: string): Promise<number> {
  const [row] = await executor.select({ value: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
  return row?.value ?? 0;
}

/** Keys not revoked: a revoked key counts against no limit. */
export async function countActiveApiKeys(executor: Executor, organizationId: string): Promise<number> {
  const [row] = await executor
    .select({ value: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), isNull(apiKeys.revokedAt)));
  return row?.value ?? 0;
}

/** What the organization uses, by limit name (see `usageSchema`), in one statement. */
export async function usageOf(executor: Executor, organizationId: string): Promise<UsageDto> {
  const [row] = await executor
    .select({
      members: sql<number>`(select count(*)::int from ${memberships} where ${memberships.organizationId} = ${organizationId})`,
      apiKeys: sql<number>`(select count(*)::int from ${apiKeys} where ${apiKeys.organizationId} = ${organizationId} and ${apiKeys.revokedAt} is null)`,
      report: usageReports,
    })
    .from(organizations)
    .leftJoin(usageReports, eq(usageReports.organizationId, organizations.id))
    .where(eq(organizations.id, organizationId));
  const report = row?.report ?? null;
  return {
    stores: report?.stores ?? null,
    members: row?.members ?? 0,
    ordersPerMonth: report?.ordersThisMonth ?? null,
    importRowsPerMonth: report?.importRowsThisMonth ?? null,
    webhookEndpoints: report?.webhookEndpoints ?? null,
    apiKeys: row?.apiKeys ?? 0,
    measuredAt: report?.measuredAt.toISOString() ?? null,
  };
}

/**
 * Keeps a region's usage figures, the latest per tenant: only for tenants at home in the reporting
 * region (others are ignored: a region reports, and may only report, its own tenants), and a
 * report measured before the one kept changes nothing (reports may arrive out of order).
 */
export async function recordUsageReport(database: Database, clock: Clock, report: UsageReport): Promise<{ accepted: number; ignored: number }> {
  if (report.tenants.length === 0) return { accepted: 0, ignored: 0 };
  const ids = [...new Set(report.tenants.map((tenant) => tenant.tenantId))];
  return database.transaction(async (tx) => {
    const homes = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(and(inArray(organizations.id, ids), eq(organizations.homeRegion, report.region)));
    const own = new Set(homes.map((row) => row.id));
    // The latest figures of each tenant in this report, then only if newer than what is kept.
    const latest = new Map<string, UsageReport['tenants'][number]>();
    for (const tenant of report.tenants) {
      if (!own.has(tenant.tenantId)) continue;
      const kept = latest.get(tenant.tenantId);
      if (!kept || Date.parse(tenant.measuredAt) >= Date.parse(kept.measuredAt)) latest.set(tenant.tenantId, tenant);
    }
    const receivedAt = clock.now();
    const rows = [...latest.values()].map((tenant) => ({
      organizationId: tenant.tenantId,
      region: report.region,
      measuredAt: new Date(tenant.measuredAt),
      stores: tenant.stores,
      webhookEndpoints: tenant.webhookEndpoints,
      ordersThisMonth: tenant.ordersThisMonth,
      importRowsThisMonth: tenant.importRowsThisMonth,
      receivedAt,
    }));
    if (rows.length > 0) {
      await tx
        .insert(usageReports)
        .values(rows)
        .onConflictDoUpdate({
          target: usageReports.organizationId,
          set: {
            region: sql`excluded.region`,
            measuredAt: sql`excluded.measured_at`,
            stores: sql`excluded.stores`,
            webhookEndpoints: sql`excluded.webhook_endpoints`,
            ordersThisMonth: sql`excluded.orders_this_month`,
            importRowsThisMonth: sql`excluded.import_rows_this_month`,
            receivedAt: sql`excluded.received_at`,
          },
          setWhere: sql`excluded.measured_at >= ${usageReports.measuredAt}`,
        });
    }
    return { accepted: rows.length, ignored: report.tenants.filter((tenant) => !own.has(tenant.tenantId)).length };
  });
}
