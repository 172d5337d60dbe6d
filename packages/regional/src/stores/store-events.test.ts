import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

let keel: TestKeel;
let worker: pg.Client;
const tenantId = randomUUID();

beforeAll(async () => {
  keel = await startTestKeel();
  await keel.provisionTenant(tenantId);
  worker = new pg.Client({ connectionString: keel.databases.regional.worker });
  await worker.connect();
});

afterAll(async () => {
  await worker?.end();
  await keel?.stop();
});

describe('STO-005 store changes append their events to the outbox; refused ones append none', () => {
  let storeId: string;

  it('STO-005 appends store.created with the new store and version 1', async () => {
    const created = await api('POST', '/api/v1/stores', { name: 'Harbour' });
    storeId = created.json().id;
    expect(await eventsOf(storeId)).toEqual([{ type: 'store.created', payload: { storeId, name: 'Harbour', version: 1 } }]);
  });

  it('STO-005 appends store.renamed with the new name and version', async () => {
    await api('PATCH', `/api/v1/stores/${storeId}`, { name: 'Harbour Front', version: 1 });
    expect((await eventsOf(storeId)).at(-1)).toEqual({ type: 'store.renamed', payload: { storeId, name: 'Harbour Front', version: 2 } });
  });

  it('STO-005 emits nothing for a rename refused before its event is appended: a stale version, a duplicate name', async () => {
    const before = await eventsOf(storeId);
    expect((await api('PATCH', `/api/v1/stores/${storeId}`, { name: 'Stale', version: 1 })).statusCode).toBe(409);
    await api('POST', '/api/v1/stores', { name: 'Other' });
    expect((await api('PATCH', `/api/v1/stores/${storeId}`, { name: 'other', version: 2 })).statusCode).toBe(409);
    expect(await eventsOf(storeId)).toEqual(before);
  });

  it('STO-005 leaves no outbox row behind a creation refused, before its event is appended, for a duplicate name', async () => {
    const outboxRowsBefore = await countOutboxRows();
    expect((await api('POST', '/api/v1/stores', { name: 'harbour front' })).statusCode).toBe(409);
    expect(await countOutboxRows()).toBe(outboxRowsBefore);
  });

  it('STO-005 appends store.deleted with the version the deletion makes', async () => {
    await api('DELETE', `/api/v1/stores/${storeId}?version=2`);
    expect((await eventsOf(storeId)).at(-1)).toEqual({ type: 'store.deleted', payload: { storeId, name: 'Harbour Front', version: 3 } });
  });
});

async function api(method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  return keel.app.inject({ method, url, headers: await keel.authorization(tenantId, { role: 'admin' }), payload: payload as object | undefined });
}

/** The worker role reads the outbox across tenants (its own policy), as the relay does. */
async function eventsOf(storeId: string): Promise<{ type: string; payload: unknown }[]> {
  const { rows } = await worker.query<{ type: string; payload: unknown }>(
    `select type, payload from outbox where tenant_id = $1 and payload->>'storeId' = $2 order by id`,
    [tenantId, storeId],
  );
  return rows;
}

async function countOutboxRows(): Promise<number> {
  const { rows } = await worker.query<{ count: number }>('select count(*)::int as count from outbox where tenant_id = $1', [tenantId]);
  return rows[0]!.count;
}
