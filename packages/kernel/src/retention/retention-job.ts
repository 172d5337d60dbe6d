import { randomUUID } from 'node:crypto';
import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Clock } from '../clock/clock.ts';
import type { Database } from '../db/pools.ts';
import { asAppError } from '../errors/as-app-error.ts';
import type { ErrorReporter } from '../errors/reporter.ts';
import type { Logger } from '../logging/logger.ts';
import { createRelayLoop } from '../messaging/relay-loop.ts';
import { runWithContext } from '../tenancy/request-context.ts';
import type { TenantTransaction, WithTenant } from '../tenancy/with-tenant.ts';

/**
 * One kind of row a context lets go of after a while (specs/retention.md). A purge deletes at most
 * `limit` rows that are due at `now` in ONE statement and says how many it deleted; the job calls
 * it again while it deletes a full batch, so no statement holds many locks for long. `deleteDueRows`
 * is that statement, safe when several instances purge at once.
 */
export type RetentionPurge = SystemPurge | TenantPurge;

/**
 * What one purge statement did: deleted that many rows, or `'busy'` — another instance is purging
 * the same rows (same table; for tenant data, same tenant) right now, so nothing was deleted and
 * nothing can be concluded about what is still due.
 */
export type PurgeOutcome = number | 'busy';

/** Rows of system tables (outbox, ledger, counters), reached across tenants by the layer's system role. */
export interface SystemPurge {
  scope: 'system';
  name: string;
  purge(batch: { database: Database; now: Date; limit: number }): Promise<PurgeOutcome>;
}

/** Tenant data: purged tenant by tenant, as the app role inside the tenant's transaction (row-level security). */
export interface TenantPurge {
  scope: 'tenant';
  name: string;
  purge(batch: { tx: TenantTransaction; tenantId: string; now: Date; limit: number }): Promise<PurgeOutcome>;
}

export interface RetentionJobOptions {
  purges: readonly RetentionPurge[];
  /** The role that runs system purges (regional: the worker role; central: its app role). */
  systemDatabase: Database;
  /** Needed when a purge is tenant-scoped: the layer's tenants, page by page, and its tenant transactions. */
  tenants?: { list(after: string | undefined, limit: number): Promise<string[]>; withTenant: WithTenant };
  intervalMs: number;
  batchSize: number;
  clock: Clock;
  logger: Logger;
  reporter: ErrorReporter;
}

export interface RetentionReport {
  /** Rows deleted per purge name. */
  purged: Record<string, number>;
  /** Purges that failed in this pass (left for the next one). */
  failed: string[];
  /** Purges still busy when tried again at the end of the pass: left to the instance purging them (RET-009). */
  busy: string[];
}

export interface RetentionJob {
  /** Runs a pass now and every `intervalMs` after it, until stopped. */
  start(): void;
  /** One pass over every purge, at the clock's now. */
  runOnce(): Promise<RetentionReport>;
  stop(): Promise<void>;
}

const TENANT_PAGE = 500;

export function createRetentionJob(options: RetentionJobOptions): RetentionJob {
  const systemPurges = options.purges.filter((purge): purge is SystemPurge => purge.scope === 'system');
  const tenantPurges = options.purges.filter((purge): purge is TenantPurge => purge.scope === 'tenant');
  if (tenantPurges.length > 0 && !options.tenants) throw new Error('tenant-scoped retention purges need the layer’s tenants');
  let stopping = false;

  function failed(report: RetentionReport, name: string, error: unknown, tenantId?: string): void {
    const failure = asAppError(error);
    options.reporter.report(failure);
    options.logger.warn({ code: failure.code, err: error, purge: name, tenantId }, 'retention purge failed; it runs again at the next pass');
    if (!report.failed.includes(name)) report.failed.push(name);
  }

  function counted(report: RetentionReport, name: string, deleted: number): void {
    report.purged[name] = (report.purged[name] ?? 0) + deleted;
  }

  /** Batch after batch while they are full; true when the purge found its table busy. */
  async function runSystemPurge(purge: SystemPurge, now: Date, report: RetentionReport): Promise<boolean> {
    try {
      let outcome: PurgeOutcome;
      do {
        outcome = await purge.purge({ database: options.systemDatabase, now, limit: options.batchSize });
        if (outcome === 'busy') return true;
        counted(report, purge.name, outcome);
      } while (outcome >= options.batchSize && !stopping);
    } catch (error) {
      failed(report, purge.name, error);
    }
    return false;
  }

  /**
   * One transaction per round: each purge's next batch; rounds go on while some purge filled its
   * batch. A purge that fails rolls its round back and is left out of the tenant's next rounds.
   * Answers the purges that found this tenant's rows busy.
   */
  async function runTenantPurges(tenantId: string, purges: readonly TenantPurge[], now: Date, report: RetentionReport): Promise<TenantPurge[]> {
    const { withTenant } = options.tenants!;
    const busy: TenantPurge[] = [];
    let pending = purges;
    while (pending.length > 0 && !stopping) {
      let current: TenantPurge | undefined;
      try {
        const outcomes = await runWithContext({ requestId: randomUUID(), tenantId }, () =>
          withTenant(async (tx) => {
            const round: PurgeOutcome[] = [];
            for (const purge of pending) {
              current = purge;
              round.push(await purge.purge({ tx, tenantId, now, limit: options.batchSize }));
            }
            return round;
          }),
        );
        pending.forEach((purge, index) => {
          const outcome = outcomes[index]!;
          if (outcome === 'busy') busy.push(purge);
          else counted(report, purge.name, outcome);
        });
        pending = pending.filter((_purge, index) => {
          const outcome = outcomes[index]!;
          return outcome !== 'busy' && outcome >= options.batchSize;
        });
      } catch (error) {
        if (current === undefined) throw error;
        failed(report, current.name, error, tenantId);
        pending = pending.filter((purge) => purge !== current);
      }
    }
    return busy;
  }

  /** Every tenant, page by page; answers the tenants' busy purges. */
  async function runEveryTenant(now: Date, report: RetentionReport): Promise<{ tenantId: string; purges: TenantPurge[] }[]> {
    const busy: { tenantId: string; purges: TenantPurge[] }[] = [];
    let after: string | undefined;
    while (!stopping) {
      let page: string[];
      try {
        page = await options.tenants!.list(after, TENANT_PAGE);
      } catch (error) {
        tenantPurges.forEach((purge) => failed(report, purge.name, error));
        break;
      }
      for (const tenantId of page) {
        if (stopping) break;
        const purges = await runTenantPurges(tenantId, tenantPurges, now, report);
        if (purges.length > 0) busy.push({ tenantId, purges });
      }
      if (page.length < TENANT_PAGE) break;
      after = page.at(-1);
    }
    return busy;
  }

  /**
   * Busy is not done: another instance held those rows at that moment. They are tried again once
   * everything else is through; still busy then, the holder is still at them and goes on while its
   * batches are full, so they are left to it (and named in the report).
   */
  async function runOnce(): Promise<RetentionReport> {
    const now = options.clock.now();
    const report: RetentionReport = { purged: Object.fromEntries(options.purges.map((purge) => [purge.name, 0])), failed: [], busy: [] };
    const leftToOthers = (name: string) => void (report.busy.includes(name) || report.busy.push(name));
    const busySystem: SystemPurge[] = [];
    for (const purge of systemPurges) if (!stopping && (await runSystemPurge(purge, now, report))) busySystem.push(purge);
    const busyTenants = tenantPurges.length > 0 ? await runEveryTenant(now, report) : [];
    for (const purge of busySystem) if (!stopping && (await runSystemPurge(purge, now, report))) leftToOthers(purge.name);
    for (const { tenantId, purges } of busyTenants) {
      if (!stopping) for (const purge of await runTenantPurges(tenantId, purges, now, report)) leftToOthers(purge.name);
    }
    return report;
  }

  const loop = createRelayLoop({
    intervalMs: options.intervalMs,
    async pass() {
      const report = await runOnce();
      const total = Object.values(report.purged).reduce((sum, count) => sum + count, 0);
      if (total > 0) options.logger.info({ purged: report.purged }, 'retention purged expired rows');
    },
    onError(error) {
      const failure = asAppError(error);
      options.reporter.report(failure);
      options.logger.warn({ code: failure.code, err: error }, 'retention pass failed; retrying at the next interval');
    },
  });

  return {
    start() {
      stopping = false;
      loop.start();
    },
    runOnce,
    async stop() {
      stopping = true;
      await loop.stop();
    },
  };
}

/** The moment before which rows kept for `days` days (or `ms`) are due, as of `now`. */
export function retentionCutoff(now: Date, keep: { days: number } | { ms: number }): Date {
  const ms = 'days' in keep ? keep.days * 86_400_000 : keep.ms;
  return new Date(now.getTime() - ms);
}

/**
 * The one statement of a purge: deletes at most `limit` rows of `table` matching `due`, oldest
 * (`oldest`) first. It first takes a transaction-scoped advisory lock named after the table and the
 * transaction's tenant (`app.tenant_id`, set by `withTenant`; none for system purges): in a tenant
 * transaction that lock is held until the tenant's round commits, so keyed by table alone it would
 * shut every other tenant out meanwhile. When another instance holds it the statement deletes
 * nothing and answers `'busy'`, which the job tries again instead of taking it for "nothing due".
 * (Row locks — `FOR UPDATE SKIP LOCKED` — would need UPDATE on the table, which the worker role
 * has not on the ledger.)
 */
export async function deleteDueRows(db: Database | TenantTransaction, target: { table: PgTable; due: SQL; oldest: PgColumn; limit: number }): Promise<PurgeOutcome> {
  const { rows } = await db.execute<{ ours: boolean; deleted: number }>(sql`
    with turn as (
      select pg_try_advisory_xact_lock(hashtextextended(concat_ws(':', 'keel-retention', ${getTableName(target.table)}::text, nullif(current_setting('app.tenant_id', true), '')), 0)) as ours
    ), gone as (
      delete from ${target.table}
       where (select ours from turn)
         and ctid = any(array(select ctid from ${target.table} where ${target.due} order by ${target.oldest} limit ${target.limit}))
      returning 1
    )
    select (select ours from turn) as ours, (select count(*) from gone)::int as deleted`);
  const [result] = rows;
  return result?.ours ? result.deleted : 'busy';
}
