import type pg from 'pg';

/**
 * Runs `work` on `client` in a transaction whose `app.tenant_id` is `tenantId` (left unset when
 * undefined), as the app's tenant transactions do. Tenant tables are under FORCEd row-level
 * security, so even their owner reads and writes a tenant's rows only with that tenant set.
 * Rolls back unless told to commit, and always when `work` throws.
 */
export async function asTenant<T>(
  client: pg.Client,
  tenantId: string | undefined,
  work: (client: pg.Client) => Promise<T>,
  end: 'commit' | 'rollback' = 'rollback',
): Promise<T> {
  await client.query('begin');
  try {
    if (tenantId !== undefined) await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    const result = await work(client);
    await client.query(end);
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
