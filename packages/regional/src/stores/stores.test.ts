import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tamperClaims } from '../../../../test/support/token-issuer.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/** The stores API of the regional layer, through the composed app (`keel start`'s composition). */

let keel: TestKeel;

beforeAll(async () => {
  keel = await startTestKeel();
});

afterAll(async () => {
  await keel?.stop();
});

describe('STO-001 store names', () => {
  it('STO-001 creates a store with its name trimmed, at version 1', async () => {
    const tenant = await newTenant();
    const response = await api(tenant, { method: 'POST', url: '/stores', payload: { name: '  Main Street  ' } });
    expect(response.statusCode).toBe(201);
    const store = response.json<Store>();
    expect(store).toEqual({ id: expect.stringMatching(UUID), name: 'Main Street', version: 1, createdAt: expect.stringMatching(ISO), updatedAt: store.createdAt });
    expect(await getStore(tenant, store.id)).toEqual(store);
  });

  it.each([
    { taken: 'Harbour', attempt: 'HARBOUR' },
    { taken: 'Harbour', attempt: '  harbour ' },
    { taken: 'Café Nord', attempt: 'CAFÉ NORD' },
  ])('STO-001 refuses "$attempt" when the tenant has "$taken" (409 STORE_NAME_TAKEN)', async ({ taken, attempt }) => {
    const tenant = await newTenant();
    await createStore(tenant, taken);
    expectError(await api(tenant, { method: 'POST', url: '/stores', payload: { name: attempt } }), 409, 'STORE_NAME_TAKEN');
    expect(await listNames(tenant)).toEqual([taken]);
  });

  it('STO-001 refuses to rename a store to the name of another store of the tenant, whatever its case', async () => {
    const tenant = await newTenant();
    await createStore(tenant, 'North');
    const south = await createStore(tenant, 'South');
    expectError(await rename(tenant, south, 'NORTH'), 409, 'STORE_NAME_TAKEN');
    expect(await listNames(tenant)).toEqual(['North', 'South']);
  });

  it('STO-001 lets a store be renamed to its own name in another case', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'corner shop');
    const response = await rename(tenant, store, 'Corner Shop');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Corner Shop', version: 2 });
  });

  it('STO-001 lets two tenants use the same name', async () => {
    const [first, second] = [await newTenant(), await newTenant()];
    await createStore(first, 'Flagship');
    await createStore(second, 'flagship');
    expect([await listNames(first), await listNames(second)]).toEqual([['Flagship'], ['flagship']]);
  });

  it.each([
    { length: 1, padding: '' },
    { length: 100, padding: '' },
    { length: 100, padding: '   ' },
  ])('STO-001 accepts a name of $length characters after trimming (padding "$padding")', async ({ length, padding }) => {
    const tenant = await newTenant();
    const name = 'n'.repeat(length);
    expect((await createStore(tenant, `${padding}${name}${padding}`)).name).toBe(name);
  });

  it.each([
    { kind: 'empty', name: '' },
    { kind: 'blank', name: '   ' },
    { kind: '101 characters', name: 'n'.repeat(101) },
    { kind: 'with a NUL character', name: 'Main\u0000Street' },
    { kind: 'with a line break', name: 'Main\nStreet' },
  ])('STO-001 refuses a name that is $kind (400 VALIDATION_FAILED on body.name)', async ({ name }) => {
    const tenant = await newTenant();
    const create = await api(tenant, { method: 'POST', url: '/stores', payload: { name } });
    expectError(create, 400, 'VALIDATION_FAILED', ['body.name']);
    const store = await createStore(tenant, 'Valid');
    expectError(await rename(tenant, store, name), 400, 'VALIDATION_FAILED', ['body.name']);
    expect(await listNames(tenant)).toEqual(['Valid']);
  });
});

describe('STO-002 versioned renames and deletes', () => {
  it('STO-002 renames with the version last read and increments it by one each time', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'Old Town');
    const first = await rename(tenant, store, 'New Town');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ ...store, name: 'New Town', version: 2, updatedAt: expect.stringMatching(ISO) });
    const second = await rename(tenant, first.json<Store>(), 'Newer Town');
    expect(second.json()).toMatchObject({ name: 'Newer Town', version: 3 });
    expect(await getStore(tenant, store.id)).toEqual(second.json());
  });

  it('STO-002 refuses a rename with a stale version (409 VERSION_CONFLICT) and changes nothing', async () => {
    const tenant = await newTenant();
    const stale = await createStore(tenant, 'Dockside');
    const current = (await rename(tenant, stale, 'Quayside')).json<Store>();
    expectError(await rename(tenant, stale, 'Riverside'), 409, 'VERSION_CONFLICT');
    expect(await getStore(tenant, stale.id)).toEqual(current);
  });

  it('STO-002 refuses a delete with a stale version (409 VERSION_CONFLICT) and keeps the store', async () => {
    const tenant = await newTenant();
    const stale = await createStore(tenant, 'Market Hall');
    const current = (await rename(tenant, stale, 'Market Square')).json<Store>();
    expectError(await remove(tenant, stale), 409, 'VERSION_CONFLICT');
    expect(await getStore(tenant, stale.id)).toEqual(current);
  });

  it('STO-002 deletes with the current version (204), after which the store is gone (404)', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'Pop-up');
    const response = await remove(tenant, store);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expectError(await api(tenant, { method: 'GET', url: `/stores/${store.id}` }), 404, 'STORE_NOT_FOUND');
    expect(await listNames(tenant)).toEqual([]);
  });

  it('STO-002 requires the version on rename and delete', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'Versionless');
    expectError(await api(tenant, { method: 'PATCH', url: `/stores/${store.id}`, payload: { name: 'Other' } }), 400, 'VALIDATION_FAILED', ['body.version']);
    expectError(await api(tenant, { method: 'DELETE', url: `/stores/${store.id}` }), 400, 'VALIDATION_FAILED', ['query.version']);
    expect(await getStore(tenant, store.id)).toEqual(store);
  });
});

describe('STO-015 a store with orders stays', () => {
  it('STO-015 deleting a store that has an order answers 409 STORE_HAS_ORDERS and keeps the store and its order', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'Busy corner');
    const product = await api(tenant, { method: 'POST', url: '/products', payload: { sku: 'MUG-1', name: 'Mug', priceMinor: 1200 } });
    const order = await api(tenant, { method: 'POST', url: '/orders', payload: { storeId: store.id, customer: { name: 'Ana', email: 'ana@example.com' }, lines: [{ productId: product.json<{ id: string }>().id, quantity: 1 }] } });
    expect(order.statusCode, order.body).toBe(201);
    expectError(await remove(tenant, store), 409, 'STORE_HAS_ORDERS');
    expect(ownFields(await getStore(tenant, store.id))).toEqual(store);
    expect((await api(tenant, { method: 'GET', url: `/orders/${order.json<{ id: string }>().id}` })).statusCode).toBe(200);
  });
});

describe('STO-003 the store list', () => {
  it('STO-003 pages in creation order, every store exactly once, the last page without a cursor', async () => {
    const tenant = await newTenant();
    const created: string[] = [];
    for (const name of ['Gamma', 'alpha', 'Eta', 'Beta', 'zeta', 'Delta', 'Epsilon']) created.push((await createStore(tenant, name)).id);
    const pages = await allPages(tenant, 3);
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((page) => page.items.map((store) => store.id))).toEqual(created);
    expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, true]);
  });

  it('STO-003 returns 50 stores by default and at most 200 per page', async () => {
    const tenant = await newTenant();
    for (let index = 0; index < 201; index += 1) await createStore(tenant, `Store ${index}`);
    const byDefault = (await api(tenant, { method: 'GET', url: '/stores' })).json<StorePage>();
    expect(byDefault.items).toHaveLength(50);
    expect(byDefault.nextCursor).toEqual(expect.any(String));
    const pages = await allPages(tenant, 200);
    expect(pages.map((page) => page.items.length)).toEqual([200, 1]);
    expect(new Set(pages.flatMap((page) => page.items.map((store) => store.id))).size).toBe(201);
  });

  it.each(['0', '201', '-1', '1.5', 'ten'])('STO-003 refuses limit=%s (400 VALIDATION_FAILED on query.limit)', async (limit) => {
    const tenant = await newTenant();
    expectError(await api(tenant, { method: 'GET', url: `/stores?limit=${limit}` }), 400, 'VALIDATION_FAILED', ['query.limit']);
  });

  it.each([
    { kind: 'garbage', cursor: 'garbage' },
    { kind: 'valid base64url JSON without a UUID', cursor: Buffer.from(JSON.stringify({ after: 'store-7' })).toString('base64url') },
    { kind: 'a bare UUID', cursor: randomUUID() },
    { kind: 'overlong', cursor: 'a'.repeat(300) },
  ])('STO-003 refuses a cursor Keel did not produce: $kind (400 VALIDATION_FAILED on query.cursor)', async ({ cursor }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, { method: 'GET', url: `/stores?cursor=${cursor}` }), 400, 'VALIDATION_FAILED', ['query.cursor']);
  });
});

describe('STO-004 a store that does not exist', () => {
  it.each(storeEndpoints)('STO-004 $endpoint of an unknown store id answers 404 STORE_NOT_FOUND', async ({ request }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, request({ id: randomUUID(), version: 1 })), 404, 'STORE_NOT_FOUND');
  });

  it.each(storeEndpoints)('STO-004 $endpoint of an id that is not a UUID answers 400 on params.storeId', async ({ request }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, request({ id: 'not-a-uuid', version: 1 })), 400, 'VALIDATION_FAILED', ['params.storeId']);
  });
});

describe('TEN-012 another tenant store id is not found', () => {
  it.each(storeEndpoints)("TEN-012 $endpoint with tenant A's store id, as tenant B, answers 404 STORE_NOT_FOUND and changes nothing", async ({ request }) => {
    const [tenantA, tenantB] = [await newTenant(), await newTenant()];
    const store = await createStore(tenantA, 'Private');
    expectError(await api(tenantB, request(store)), 404, 'STORE_NOT_FOUND');
    expect(await getStore(tenantA, store.id)).toEqual(store);
  });

  it("TEN-012 tenant B's list does not include tenant A's stores", async () => {
    const [tenantA, tenantB] = [await newTenant(), await newTenant()];
    await createStore(tenantA, 'Private');
    const own = await createStore(tenantB, 'Own');
    expect((await allPages(tenantB, 200)).flatMap((page) => page.items)).toEqual([own]);
  });
});

describe('TEN-010 only a valid bearer token from central reaches tenant data', () => {
  let tenant: string;
  let store: Store;

  beforeAll(async () => {
    tenant = await newTenant();
    store = await createStore(tenant, 'Guarded');
  });

  it.each<{ token: string; code: string; headers: (tenantId: string) => Promise<Record<string, string>> }>([
    { token: 'no Authorization header', code: 'AUTH_TOKEN_MISSING', headers: async () => ({}) },
    { token: 'a Basic scheme', code: 'AUTH_TOKEN_INVALID', headers: async () => ({ authorization: 'Basic xyz' }) },
    { token: 'a bearer value that is not a JWT', code: 'AUTH_TOKEN_INVALID', headers: async () => ({ authorization: 'Bearer not-a-jwt' }) },
    { token: 'three segments that are not a JWT', code: 'AUTH_TOKEN_INVALID', headers: async () => ({ authorization: 'Bearer aaa.bbb.ccc' }) },
    { token: 'a forged signature', code: 'AUTH_TOKEN_INVALID', headers: async (tenantId) => bearer(await keel.issuer.signWithForeignKey({ tenantId })) },
    { token: 'a tampered payload', code: 'AUTH_TOKEN_INVALID', headers: async (tenantId) => bearer(tamperClaims(await keel.issuer.sign({ tenantId: randomUUID() }), { tenant_id: tenantId })) },
    { token: 'another region', code: 'AUTH_TOKEN_WRONG_REGION', headers: async (tenantId) => bearer(await keel.issuer.sign({ tenantId, region: 'eu-west' })) },
    { token: 'a lifetime of 600 s', code: 'AUTH_TOKEN_INVALID', headers: async (tenantId) => bearer(await keel.issuer.sign({ tenantId, lifetimeSeconds: 600 })) },
    { token: 'an unknown role', code: 'AUTH_TOKEN_INVALID', headers: async (tenantId) => bearer(await keel.issuer.sign({ tenantId, claims: { role: 'superuser' } })) },
    { token: 'a tenant_id that is not a UUID', code: 'AUTH_TOKEN_INVALID', headers: async () => bearer(await keel.issuer.sign({ tenantId: 'acme' })) },
  ])('TEN-010 $token answers 401 $code without running a statement', async ({ code, headers }) => {
    await expectRefusedEverywhere(await headers(tenant), code);
  });

  it('TEN-010 an expired token answers 401 AUTH_TOKEN_EXPIRED without running a statement', async () => {
    const headers = bearer(await keel.issuer.sign({ tenantId: tenant }));
    keel.clock.advance(301_000);
    await expectRefusedEverywhere(headers, 'AUTH_TOKEN_EXPIRED');
  });

  it('TEN-011 a session cookie without a bearer token answers 401 AUTH_TOKEN_MISSING', async () => {
    await expectRefusedEverywhere({ cookie: `better-auth.session_token=${randomUUID()}.signature` }, 'AUTH_TOKEN_MISSING');
  });

  /** Every store endpoint refuses the headers, runs no statement, and the tenant's data is as it was. */
  async function expectRefusedEverywhere(headers: Record<string, string>, code: string): Promise<void> {
    const requests: InjectOptions[] = [{ method: 'GET', url: '/stores' }, { method: 'POST', url: '/stores', payload: { name: 'Intruder' } }, ...storeEndpoints.map(({ request }) => request(store))];
    for (const request of requests) {
      const response = await keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers });
      expectError(response, 401, code);
      expect(response.headers['x-query-count'], `${request.method} ${String(request.url)}`).toBe('0');
    }
    expect((await allPages(tenant, 200)).flatMap((page) => page.items)).toEqual([store]);
  }
});

describe('TEN-013 a tenant the region has not provisioned yet', () => {
  it('TEN-013 gets 503 TENANT_PROVISIONING with Retry-After when it creates a store', async () => {
    const unprovisioned = randomUUID();
    const response = await api(unprovisioned, { method: 'POST', url: '/stores', payload: { name: 'Early bird' } });
    expectError(response, 503, 'TENANT_PROVISIONING');
    expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });

  it('TEN-013 reads an empty list', async () => {
    const response = await api(randomUUID(), { method: 'GET', url: '/stores' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], nextCursor: null });
  });

  it('TEN-013 can create stores once provisioned', async () => {
    const tenant = randomUUID();
    expectError(await api(tenant, { method: 'POST', url: '/stores', payload: { name: 'Early bird' } }), 503, 'TENANT_PROVISIONING');
    await keel.provisionTenant(tenant);
    expect((await createStore(tenant, 'Early bird')).name).toBe('Early bird');
  });
});

describe('PLT-004 client mistakes on the stores endpoints get a typed 4xx, never a 500', () => {
  it.each<{ mistake: string; status: number; code: string; paths?: string[]; request: (store: Store) => InjectOptions }>([
    { mistake: 'malformed JSON', status: 400, code: 'MALFORMED_JSON', request: () => ({ method: 'POST', url: '/stores', headers: json, payload: '{"name": "Broken' }) },
    { mistake: 'an empty JSON body', status: 400, code: 'MALFORMED_JSON', request: () => ({ method: 'POST', url: '/stores', headers: json, payload: '' }) },
    { mistake: 'a JSON body that is not an object', status: 400, code: 'VALIDATION_FAILED', paths: ['body'], request: () => ({ method: 'POST', url: '/stores', payload: ['Store'] }) },
    { mistake: 'an unknown field', status: 400, code: 'VALIDATION_FAILED', paths: ['body.extra'], request: () => ({ method: 'POST', url: '/stores', payload: { name: 'Extra', extra: true } }) },
    { mistake: 'a name that is a number', status: 400, code: 'VALIDATION_FAILED', paths: ['body.name'], request: () => ({ method: 'POST', url: '/stores', payload: { name: 5 } }) },
    { mistake: 'a missing name', status: 400, code: 'VALIDATION_FAILED', paths: ['body.name'], request: () => ({ method: 'POST', url: '/stores', payload: {} }) },
    { mistake: 'a version that is not a number', status: 400, code: 'VALIDATION_FAILED', paths: ['body.version'], request: (s) => ({ method: 'PATCH', url: `/stores/${s.id}`, payload: { name: 'Other', version: 'x' } }) },
    { mistake: 'a version that is a numeric string', status: 400, code: 'VALIDATION_FAILED', paths: ['body.version'], request: (s) => ({ method: 'PATCH', url: `/stores/${s.id}`, payload: { name: 'Other', version: String(s.version) } }) },
    { mistake: 'a version that is a boolean', status: 400, code: 'VALIDATION_FAILED', paths: ['body.version'], request: (s) => ({ method: 'PATCH', url: `/stores/${s.id}`, payload: { name: 'Other', version: true } }) },
    { mistake: 'a version beyond the integer range', status: 400, code: 'VALIDATION_FAILED', paths: ['body.version'], request: (s) => ({ method: 'PATCH', url: `/stores/${s.id}`, payload: { name: 'Other', version: 2 ** 31 } }) },
    { mistake: 'a delete version that is not a number', status: 400, code: 'VALIDATION_FAILED', paths: ['query.version'], request: (s) => ({ method: 'DELETE', url: `/stores/${s.id}?version=x` }) },
    { mistake: 'an unknown query parameter', status: 400, code: 'VALIDATION_FAILED', paths: ['query.sort'], request: () => ({ method: 'GET', url: '/stores?sort=name' }) },
    { mistake: 'a DELETE with a JSON content type and no body', status: 400, code: 'MALFORMED_JSON', request: (s) => ({ method: 'DELETE', url: `/stores/${s.id}?version=${s.version}`, headers: json }) },
    { mistake: 'a text body', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', request: () => ({ method: 'POST', url: '/stores', headers: { 'content-type': 'text/plain' }, payload: 'name=Text' }) },
    { mistake: 'a body over BODY_LIMIT_BYTES', status: 413, code: 'PAYLOAD_TOO_LARGE', request: () => ({ method: 'POST', url: '/stores', payload: { name: 'n'.repeat(1_048_576) } }) },
  ])('PLT-004 $mistake answers $status $code', async ({ status, code, paths, request }) => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'Steady');
    const reportedBefore = keel.reported.length;
    expectError(await api(tenant, request(store)), status, code, paths);
    expect(keel.reported.slice(reportedBefore)).toEqual([]);
    expect(await getStore(tenant, store.id)).toEqual(store);
  });
});

describe('PLT-007 every stores response carries x-query-count and x-request-id', () => {
  it.each<{ outcome: string; status: number; unprovisioned?: boolean; request: (store: Store) => InjectOptions }>([
    { outcome: 'a list', status: 200, request: () => ({ method: 'GET', url: '/stores' }) },
    { outcome: 'a read', status: 200, request: (store) => ({ method: 'GET', url: `/stores/${store.id}` }) },
    { outcome: 'a create', status: 201, request: () => ({ method: 'POST', url: '/stores', payload: { name: 'Counted' } }) },
    { outcome: 'a delete', status: 204, request: (store) => ({ method: 'DELETE', url: `/stores/${store.id}?version=${store.version}` }) },
    { outcome: 'a validation failure', status: 400, request: () => ({ method: 'GET', url: '/stores?limit=0' }) },
    { outcome: 'a missing token', status: 401, request: () => ({ method: 'GET', url: '/stores', headers: { authorization: '' } }) },
    { outcome: 'an unknown store', status: 404, request: () => ({ method: 'GET', url: `/stores/${randomUUID()}` }) },
    { outcome: 'a version conflict', status: 409, request: (store) => ({ method: 'PATCH', url: `/stores/${store.id}`, payload: { name: 'Late', version: store.version + 1 } }) },
    { outcome: 'an unprovisioned tenant', status: 503, unprovisioned: true, request: () => ({ method: 'POST', url: '/stores', payload: { name: 'Early' } }) },
  ])('PLT-007 $outcome ($status) carries both headers', async ({ status, unprovisioned, request }) => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'Counted store');
    const response = await api(unprovisioned ? randomUUID() : tenant, request(store));
    expect(response.statusCode).toBe(status);
    expect(response.headers['x-query-count']).toMatch(/^\d+$/);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    if (status >= 400) expect(response.json()).toMatchObject({ requestId: response.headers['x-request-id'] });
  });

  it('PLT-007 counts the statements a request ran', async () => {
    const tenant = await newTenant();
    const store = await createStore(tenant, 'Counted');
    // the token's revocation check, then begin, set_config, select, commit
    expect((await api(tenant, { method: 'GET', url: `/stores/${store.id}` })).headers['x-query-count']).toBe('5');
  });
});

// ---------------------------------------------------------------------------------------------

interface Store {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface StorePage {
  items: Store[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const json = { 'content-type': 'application/json' };

/** The endpoints that address one store; a new one added here is covered by STO-004 and TEN-012. */
const storeEndpoints: { endpoint: string; request: (store: Pick<Store, 'id' | 'version'>) => InjectOptions }[] = [
  { endpoint: 'GET /stores/:storeId', request: (store) => ({ method: 'GET', url: `/stores/${store.id}` }) },
  { endpoint: 'PATCH /stores/:storeId', request: (store) => ({ method: 'PATCH', url: `/stores/${store.id}`, payload: { name: 'Taken over', version: store.version } }) },
  { endpoint: 'DELETE /stores/:storeId', request: (store) => ({ method: 'DELETE', url: `/stores/${store.id}?version=${store.version}` }) },
];

/** A provisioned tenant of the region. */
async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

/** A request to `/api/v1` with a fresh token of `tenantId`, plus the request's own headers. */
async function api(tenantId: string, request: InjectOptions): Promise<LightMyRequestResponse> {
  const headers = { ...(await keel.authorization(tenantId, { role: 'admin' })), ...(request.headers as Record<string, string> | undefined) };
  return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers });
}

async function createStore(tenantId: string, name: string): Promise<Store> {
  const response = await api(tenantId, { method: 'POST', url: '/stores', payload: { name } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Store>();
}

function rename(tenantId: string, store: Store, name: string): Promise<LightMyRequestResponse> {
  return api(tenantId, { method: 'PATCH', url: `/stores/${store.id}`, payload: { name, version: store.version } });
}

function remove(tenantId: string, store: Store): Promise<LightMyRequestResponse> {
  return api(tenantId, { method: 'DELETE', url: `/stores/${store.id}?version=${store.version}` });
}

async function getStore(tenantId: string, storeId: string): Promise<Store> {
  const response = await api(tenantId, { method: 'GET', url: `/stores/${storeId}` });
  expect(response.statusCode, response.body).toBe(200);
  return ownFields(response.json<Store>());
}

/** Follows `nextCursor` from the first page to the last. */
async function allPages(tenantId: string, limit: number): Promise<StorePage[]> {
  const pages: StorePage[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? `limit=${limit}` : `limit=${limit}&cursor=${cursor}`;
    const response = await api(tenantId, { method: 'GET', url: `/stores?${query}` });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<StorePage>();
    pages.push({ ...page, items: page.items.map(ownFields) });
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

/** A store's own fields, without the figures a read adds (store-figures.test.ts proves those). */
function ownFields({ id, name, version, createdAt, updatedAt }: Store): Store {
  return { id, name, version, createdAt, updatedAt };
}

async function listNames(tenantId: string): Promise<string[]> {
  return (await allPages(tenantId, 200)).flatMap((page) => page.items.map((store) => store.name));
}

/** An error response: `{code, requestId}`, plus `details` naming exactly `paths` when given. */
function expectError(response: LightMyRequestResponse, status: number, code: string, paths?: string[]): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<{ code: string; requestId: string; details?: { path: string; rule: string }[] }>();
  expect(body).toEqual({ code, requestId: expect.any(String), ...(paths ? { details: expect.any(Array) } : {}) });
  if (paths) expect(body.details?.map((detail) => detail.path)).toEqual(paths);
}


