import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { z } from 'zod';
import type { CentralEvent } from '@keel/central';
import { defineConsumer, type ConsumerDefinition } from '@keel/kernel';
import { CENTRAL_EVENTS_QUEUE } from '@keel/regional';
import { asTenant } from './tenant-sql.ts';

/**
 * For the central-feed tests: a probe consumer on the region's central-events queue records each
 * application of a `test.counted` event as a row of `probe_effects` — no unique constraint, so only
 * the ledger keeps an event's effect single, and a double application would show.
 */
export const COUNTED_EVENT = 'test.counted';

export const countingProbe = defineConsumer({
  name: 'counting-probe',
  queue: CENTRAL_EVENTS_QUEUE,
  eventTypes: [COUNTED_EVENT],
  payload: z.object({}),
  async handle({ tx, tenantId, envelope }) {
    await tx.execute(sql`insert into probe_effects (tenant_id, event_id) values (${tenantId}, ${envelope.eventId})`);
  },
}) as ConsumerDefinition<never>;

/** Creates the probe's table, as the regional owner, under the usual tenant isolation. */
export async function createProbeEffects(owner: pg.Client): Promise<void> {
  await owner.query('create table probe_effects (tenant_id uuid not null, event_id uuid not null)');
  await owner.query(`select keel_isolate_tenant_table('probe_effects')`);
}

/** How many times the probe applied each event, in the order given. */
export async function effectCounts(owner: pg.Client, tenantId: string, eventIds: readonly string[]): Promise<number[]> {
  const { rows } = await asTenant(owner, tenantId, (client) =>
    client.query<{ event_id: string; count: number }>('select event_id, count(*)::int as count from probe_effects where event_id = any($1) group by event_id', [eventIds]),
  );
  return eventIds.map((eventId) => rows.find((row) => row.event_id === eventId)?.count ?? 0);
}

/** The region's copy of a tenant, read as the owner with that tenant set. */
export async function tenantRow(owner: pg.Client, tenantId: string) {
  const { rows } = await asTenant(owner, tenantId, (client) => client.query('select name, currency, timezone from tenants where tenant_id = $1', [tenantId]));
  return rows[0];
}

export function countedEvent(tenantId: string, region: string): CentralEvent {
  return { type: COUNTED_EVENT, tenantId, region, payload: {} };
}

export function tenantCreatedEvent(tenantId: string, region: string): CentralEvent {
  return { type: 'tenant.created', tenantId, region, payload: { tenantId, name: `Tenant ${tenantId.slice(0, 4)}`, currency: 'EUR', timezone: 'Europe/Madrid' } };
}

/** The plan central publishes right after `tenant.created`: here unlimited (Platinum). */
export function tenantPlanEvent(tenantId: string, region: string): CentralEvent {
  const limits = { stores: null, members: null, ordersPerMonth: null, importRowsPerMonth: null, webhookEndpoints: null, apiKeys: null };
  return { type: 'tenant.plan_changed', tenantId, region, payload: { tenantId, plan: 'platinum', limits, access: 'active', revision: 1, changedAt: new Date().toISOString() } };
}

/** Whether the region has applied a plan for the tenant (read as the owner with that tenant set). */
export async function hasPlan(owner: pg.Client, tenantId: string): Promise<boolean> {
  const { rows } = await asTenant(owner, tenantId, (client) => client.query('select 1 from tenant_plans where tenant_id = $1', [tenantId]));
  return rows.length > 0;
}
