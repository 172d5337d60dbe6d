import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { createCapturingReporter } from '../../../../test/support/capture.ts';
import { createDatabase, createPool } from '../db/pools.ts';
import { QueryStats } from '../db/query-stats.ts';
import { createHttpApp } from '../http/create-http-app.ts';
import { createLogger } from '../logging/logger.ts';
import { TenantContextMissingError } from './errors.ts';
import { runWithContext } from './request-context.ts';
import { createWithTenant, type TenantTransaction, type WithTenant } from './with-tenant.ts';

const logger = createLogger({ level: 'silent' });
let databases: TestDatabases;
let pool: pg.Pool;
let withTenant: WithTenant;

beforeAll(async () => {
  databases = await createTestDatabases();
  // One connection: every transaction below runs on the same pooled connection.
  pool = createPool(databases.regional.app, { applicationName: 'keel-test-with-tenant', logger, max: 1 });
  withTenant = createWithTenant(createDatabase(pool));
});

afterAll(async () => {
  await pool?.end();
  await databases?.drop();
});

describe('TEN-008 tenant data access without a tenant fails closed', () => {
  it('throws TENANT_CONTEXT_MISSING outside any request context and never opens a connection', async () => {
    const freshPool = createPool(databases.regional.app, { applicationName: 'keel-test-no-context', logger });
    try {
      const work = countingWork();
      await expect(createWithTenant(createDatabase(freshPool))(work.run)).rejects.toBeInstanceOf(TenantContextMissingError);
      expect(work.calls).toBe(0);
      expect(freshPool.totalCount).toBe(0);
    } finally {
      await freshPool.end();
    }
  });

  it('throws TENANT_CONTEXT_MISSING in a request context without a tenant and runs no statement', async () => {
    const queryStats = newQueryStats();
    const work = countingWork();
    const attempt = runWithContext({ requestId: 'no-tenant', queryStats }, () => withTenant(work.run));
    await expect(attempt).rejects.toMatchObject({ code: 'TENANT_CONTEXT_MISSING', status: 500, report: true });
    expect(work.calls).toBe(0);
    expect(queryStats.total).toBe(0);
  });

  it('runs the work, and counts its statements, once a tenant is set', async () => {
    const queryStats = newQueryStats();
    const work = countingWork();
    await runWithContext({ requestId: 'with-tenant', tenantId: randomUUID(), queryStats }, () => withTenant(work.run));
    expect(work.calls).toBe(1);
    // begin, set_config, the work's statement, commit
    expect(queryStats.total).toBe(4);
  });

  it('answers 500 TENANT_CONTEXT_MISSING over HTTP, reports it and runs no statement', async () => {
    const { reporter, reported } = createCapturingReporter();
    const app = createHttpApp({ logger, reporter, bodyLimitBytes: 1024, exposeQueryCount: true, queryRepeatWarnThreshold: 5, healthChecks: [] });
    const work = countingWork();
    app.get('/tenant-data', async () => withTenant(work.run));
    try {
      const response = await app.inject({ method: 'GET', url: '/tenant-data' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ code: 'TENANT_CONTEXT_MISSING', requestId: response.headers['x-request-id'] });
      expect(response.headers['x-query-count']).toBe('0');
      expect(reported.map((error) => error.code)).toEqual(['TENANT_CONTEXT_MISSING']);
      expect(work.calls).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('TEN-009 the tenant setting never outlives its transaction on a pooled connection', () => {
  it.each([
    { outcome: 'commits', fail: false },
    { outcome: 'rolls back', fail: true },
  ])('after a transaction that $outcome, the same connection has no tenant set', async ({ fail }) => {
    const tenantA = randomUUID();
    let inside: SessionState | undefined;
    const transaction = runAs(tenantA, async (tx) => {
      inside = await sessionState(tx);
      if (fail) throw new Error('roll back');
    });
    if (fail) await expect(transaction).rejects.toThrow('roll back');
    else await transaction;
    expect(inside?.tenant).toBe(tenantA);

    const { rows } = await pool.query<SessionState>(`select current_setting('app.tenant_id', true) as tenant, pg_backend_pid() as pid`);
    expect(rows[0]!.pid).toBe(inside?.pid);
    expect(rows[0]!.tenant ?? '').toBe('');
  });

  it('a second transaction on the same connection sees only its own tenant and rows', async () => {
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const first = await runAs(tenantA, insertOwnRowAndLook);
    const second = await runAs(tenantB, insertOwnRowAndLook);
    expect(second.pid).toBe(first.pid);
    expect(first).toMatchObject({ tenant: tenantA, visibleTenants: [tenantA] });
    expect(second).toMatchObject({ tenant: tenantB, visibleTenants: [tenantB] });
  });
});

interface SessionState {
  tenant: string | null;
  pid: number;
}

function runAs<T>(tenantId: string, work: (tx: TenantTransaction, tenantId: string) => Promise<T>): Promise<T> {
  return runWithContext({ requestId: `as-${tenantId}`, tenantId }, () => withTenant(work));
}

async function sessionState(tx: TenantTransaction): Promise<SessionState> {
  const { rows } = await tx.execute<{ tenant: string | null; pid: number }>(sql`select current_setting('app.tenant_id', true) as tenant, pg_backend_pid() as pid`);
  return rows[0]!;
}

/** Inserts the current tenant's row, then lists the tenant rows row-level security lets it see. */
async function insertOwnRowAndLook(tx: TenantTransaction, tenantId: string): Promise<SessionState & { visibleTenants: string[] }> {
  await tx.execute(sql`insert into tenants (tenant_id, name, currency, timezone) values (${tenantId}, 'Tenant', 'USD', 'UTC')`);
  const visible = await tx.execute<{ tenant_id: string }>(sql`select tenant_id from tenants`);
  return { ...(await sessionState(tx)), visibleTenants: visible.rows.map((row) => row.tenant_id) };
}

function countingWork() {
  const work = {
    calls: 0,
    run: async (tx: TenantTransaction) => {
      work.calls += 1;
      await tx.execute(sql`select 1`);
    },
  };
  return work;
}

function newQueryStats(): QueryStats {
  return new QueryStats({ repeatThreshold: 100, onRepeat: () => {} });
}
