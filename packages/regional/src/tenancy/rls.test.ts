import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';

/**
 * The second wall of tenant isolation, straight against PostgreSQL as each regional role. The
 * catalog checks read every table of `public` that has a `tenant_id` column, so a table added by a
 * later migration is checked without touching this file.
 */

/** What `keel_isolate_tenant_table` writes, as PostgreSQL deparses it. */
const TENANT_PREDICATE = `(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)`;
const RLS_VIOLATION = { code: '42501', message: expect.stringContaining('row-level security') };
const PERMISSION_DENIED = { code: '42501', message: expect.stringContaining('permission denied') };

const tenantA = randomUUID();
const tenantB = randomUUID();
let databases: TestDatabases;
let owner: pg.Client;
let storeOfA: string;
let storeOfB: string;
let tenantTables: TenantTable[];
/** Tenant tables without the messaging kernel's cross-tenant system tables (outbox, ledger, dead letters). */
let businessTables: TenantTable[];

beforeAll(async () => {
  databases = await createTestDatabases();
  owner = await connect(databases.regional.owner);
  tenantTables = await listTenantTables(owner);
  businessTables = tenantTables.filter((table) => !table.system);
  storeOfA = await seedTenantWithStore(tenantA, 'Alpha');
  storeOfB = await seedTenantWithStore(tenantB, 'Bravo');
});

afterAll(async () => {
  await owner?.end();
  await databases?.drop();
});

describe('the catalog checks cover the tenant tables', () => {
  it('finds at least the tables of the first migrations', () => {
    expect(businessTables.map((table) => table.name)).toEqual(expect.arrayContaining(['stores', 'tenants']));
    expect(tenantTables.filter((table) => table.system).map((table) => table.name)).toEqual(['dead_letters', 'outbox', 'presence', 'processed_messages', 'tenant_plans']);
  });
});

describe('TEN-001 every index of a tenant table leads with tenant_id', () => {
  it('has no index, primary key or unique index on a tenant table whose first column is not tenant_id', async () => {
    const { rows } = await owner.query<{ index: string; leadsWithTenant: boolean }>(
      `select i.indexrelid::regclass::text as index, i.indkey[0] = a.attnum as "leadsWithTenant"
         from pg_index i
         join pg_attribute a on a.attrelid = i.indrelid and a.attname = 'tenant_id'
        where i.indrelid = any($1::oid[])
        order by 1`,
      [businessTables.map((table) => table.oid)],
    );
    expect(rows.map((row) => row.index)).toEqual(expect.arrayContaining(['stores_tenant_id_id_pk', 'stores_tenant_id_name_key', 'tenants_pkey']));
    expect(rows.filter((row) => !row.leadsWithTenant)).toEqual([]);
  });
});

describe('TEN-002 every tenant table has forced row-level security and a tenant policy', () => {
  it('enables and forces row-level security on every tenant table', () => {
    const unprotected = tenantTables.filter((table) => !table.rowSecurity || !table.forceRowSecurity);
    expect(unprotected).toEqual([]);
  });

  it('has a policy for all commands comparing tenant_id to app.tenant_id on reads and writes, and no wider policy', async () => {
    const { rows } = await owner.query<PolicyRow>(
      `select c.relname as table, p.polname as policy, p.polcmd as command, p.polpermissive as permissive,
              pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check,
              array(select r.rolname::text from pg_roles r where r.oid = any(p.polroles) order by 1) as roles
         from pg_policy p
         join pg_class c on c.oid = p.polrelid
        where p.polrelid = any($1::oid[])`,
      [tenantTables.map((table) => table.oid)],
    );
    for (const table of tenantTables) {
      const policies = rows.filter((row) => row.table === table.name);
      const tenantPolicy = { table: table.name, command: '*', permissive: true, using: TENANT_PREDICATE, check: TENANT_PREDICATE };
      expect(policies, table.name).toContainEqual(expect.objectContaining(tenantPolicy));
      // Permissive policies are OR-ed: any other one must not be wider than the tenant predicate.
      // The one exception: system tables let the worker role (relay, consumers) reach every tenant.
      const wider = policies.filter((policy) => policy.permissive && !isTenantScoped(policy) && !(table.system && isWorkerOnly(policy)));
      expect(wider, table.name).toEqual([]);
    }
  });

  it('applies to the owner role too: with no tenant set it sees no rows', async () => {
    for (const table of tenantTables) {
      const { rows } = await owner.query<{ count: number }>(`select count(*)::int as count from ${pg.escapeIdentifier(table.name)}`);
      expect(rows[0]?.count, table.name).toBe(0);
    }
  });

  it('applies to the owner role too: with tenant A set it sees only A', async () => {
    const names = await asTenant(owner, tenantA, () => storeNames(owner));
    expect(names).toEqual(['Alpha']);
  });
});

describe('TEN-003 the app role is confined', () => {
  it('connects as the app role, which is no superuser, cannot bypass RLS and cannot become the owner', async () => {
    const { rows } = await withClient(databases.regional.app, (app) =>
      app.query(
        `select current_user as user, r.rolsuper as superuser, r.rolbypassrls as bypass_rls,
                pg_has_role(current_user, 'keel_regional_owner', 'member') as owner_member
           from pg_roles r
          where r.rolname = current_user`,
      ),
    );
    expect(rows).toEqual([{ user: 'keel_regional_app', superuser: false, bypass_rls: false, owner_member: false }]);
  });

  it('owns no table or other relation', async () => {
    const { rows } = await owner.query<{ relation: string }>(
      `select c.oid::regclass::text as relation from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'keel_regional_app'`,
    );
    expect(rows).toEqual([]);
  });

  it('does not own the tenant tables: the owner role does', () => {
    expect(tenantTables.map((table) => table.owner)).toEqual(tenantTables.map(() => 'keel_regional_owner'));
  });
});

describe('TEN-004 the worker role cannot read or write tenant business tables', () => {
  const statements = [
    { verb: 'select', sql: (table: string) => `select * from ${table}` },
    { verb: 'insert', sql: (table: string) => `insert into ${table} default values` },
    { verb: 'update', sql: (table: string) => `update ${table} set tenant_id = tenant_id` },
    { verb: 'delete', sql: (table: string) => `delete from ${table}` },
  ];

  it.each(statements)('is denied $verb on every tenant table', async ({ sql }) => {
    await withClient(databases.regional.worker, async (worker) => {
      for (const table of businessTables) {
        await expect(worker.query(sql(pg.escapeIdentifier(table.name))), table.name).rejects.toMatchObject(PERMISSION_DENIED);
      }
    });
  });

  it('is denied even with a tenant set', async () => {
    await withClient(databases.regional.worker, async (worker) => {
      await expect(asTenant(worker, tenantA, () => worker.query('select * from stores'))).rejects.toMatchObject(PERMISSION_DENIED);
    });
  });

  it('reaches the messaging system tables of every tenant, and nothing else of theirs', async () => {
    await withClient(databases.regional.worker, async (worker) => {
      for (const table of tenantTables.filter((candidate) => candidate.system)) {
        await expect(worker.query(`select count(*) from ${pg.escapeIdentifier(table.name)}`), table.name).resolves.toBeDefined();
      }
    });
  });
});

describe('TEN-005 with no tenant set the app role sees no rows and cannot insert', () => {
  const noTenant = [
    { state: 'never set on the connection', tenant: undefined },
    { state: 'set to the empty string', tenant: '' },
  ];

  it.each(noTenant)('sees no rows of any tenant table when app.tenant_id is $state', async ({ tenant }) => {
    await withClient(databases.regional.app, (app) =>
      asTenant(app, tenant, async () => {
        const { rows } = await app.query(`select current_setting('app.tenant_id', true) as setting`);
        expect(rows[0]?.setting ?? null).toBe(tenant ?? null);
        for (const table of tenantTables) {
          const result = await app.query(`select * from ${pg.escapeIdentifier(table.name)}`);
          expect(result.rowCount, table.name).toBe(0);
        }
      }),
    );
  });

  it.each(noTenant)('refuses inserts when app.tenant_id is $state', async ({ tenant }) => {
    await withClient(databases.regional.app, async (app) => {
      await expect(asTenant(app, tenant, () => insertStore(app, tenantA, 'Sneaky'))).rejects.toMatchObject(RLS_VIOLATION);
      await expect(asTenant(app, tenant, () => insertTenant(app, randomUUID()))).rejects.toMatchObject(RLS_VIOLATION);
    });
  });
});

describe('TEN-006 with tenant A set the app role sees only A and cannot change B', () => {
  it('sees only the rows of A', async () => {
    await withClient(databases.regional.app, async (app) => {
      expect(await asTenant(app, tenantA, () => storeNames(app))).toEqual(['Alpha']);
      const tenants = await asTenant(app, tenantA, () => app.query('select tenant_id from tenants'));
      expect(tenants.rows).toEqual([{ tenant_id: tenantA }]);
    });
  });

  it('updates and deletes none of B rows, even when naming them by id', async () => {
    await withClient(databases.regional.app, async (app) => {
      const updated = await asTenant(app, tenantA, () => app.query(`update stores set name = 'Hijacked' where id = $1`, [storeOfB]), 'commit');
      const deleted = await asTenant(app, tenantA, () => app.query('delete from stores where id = $1', [storeOfB]), 'commit');
      const deletedTenant = await asTenant(app, tenantA, () => app.query('delete from tenants where tenant_id = $1', [tenantB]), 'commit');
      expect([updated.rowCount, deleted.rowCount, deletedTenant.rowCount]).toEqual([0, 0, 0]);
      expect(await asTenant(app, tenantB, () => storeNames(app))).toEqual(['Bravo']);
    });
  });
});

describe('TEN-007 with tenant A set the app role cannot write rows for B', () => {
  it('refuses to insert a row for tenant B', async () => {
    await withClient(databases.regional.app, async (app) => {
      await expect(asTenant(app, tenantA, () => insertStore(app, tenantB, 'Planted'))).rejects.toMatchObject(RLS_VIOLATION);
      expect(await asTenant(app, tenantB, () => storeNames(app))).toEqual(['Bravo']);
    });
  });

  it('refuses to move a row of A to tenant B', async () => {
    await withClient(databases.regional.app, async (app) => {
      const move = () => app.query('update stores set tenant_id = $1 where id = $2', [tenantB, storeOfA]);
      await expect(asTenant(app, tenantA, move)).rejects.toMatchObject(RLS_VIOLATION);
      expect(await asTenant(app, tenantA, () => storeNames(app))).toEqual(['Alpha']);
    });
  });
});

interface TenantTable {
  oid: number;
  name: string;
  owner: string;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  /** Marked `keel:system-table`: tenant-tagged, reachable by the worker role across tenants. */
  system: boolean;
}

interface PolicyRow {
  table: string;
  policy: string;
  command: string;
  permissive: boolean;
  using: string | null;
  check: string | null;
  roles: string[];
}

function isWorkerOnly(policy: PolicyRow): boolean {
  return policy.roles.length === 1 && policy.roles[0] === 'keel_regional_worker';
}

/** Reads (`using`) and writes (`check`, or `using` when absent) are limited to the tenant, or not granted. */
function isTenantScoped(policy: PolicyRow): boolean {
  const write = policy.check ?? policy.using;
  return (policy.using === null || policy.using === TENANT_PREDICATE) && (write === null || write === TENANT_PREDICATE);
}

/** Every table (and partitioned table) of `public` with a `tenant_id` column. */
async function listTenantTables(client: pg.Client): Promise<TenantTable[]> {
  const { rows } = await client.query<TenantTable>(
    `select c.oid::int as oid, c.relname as name, pg_get_userbyid(c.relowner) as owner,
            c.relrowsecurity as "rowSecurity", c.relforcerowsecurity as "forceRowSecurity",
            coalesce(obj_description(c.oid, 'pg_class') = 'keel:system-table', false) as system
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where n.nspname = 'public' and c.relkind in ('r', 'p')
      order by c.relname`,
  );
  return rows;
}

async function seedTenantWithStore(tenantId: string, storeName: string): Promise<string> {
  return withClient(databases.regional.app, (app) =>
    asTenant(
      app,
      tenantId,
      async () => {
        await insertTenant(app, tenantId);
        const { rows } = await insertStore(app, tenantId, storeName);
        return rows[0]!.id;
      },
      'commit',
    ),
  );
}

/**
 * Runs `work` in a transaction whose `app.tenant_id` is `tenantId` (left unset when undefined),
 * exactly as the app does; rolls back unless told to commit.
 */
function insertTenant(client: pg.Client, tenantId: string) {
  return client.query(`insert into tenants (tenant_id, name, currency, timezone) values ($1, 'Tenant', 'USD', 'UTC')`, [tenantId]);
}

function insertStore(client: pg.Client, tenantId: string, name: string) {
  return client.query<{ id: string }>('insert into stores (tenant_id, name) values ($1, $2) returning id', [tenantId, name]);
}

async function storeNames(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('select name from stores order by name');
  return rows.map((row) => row.name);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
