import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, centralClient, type CentralClient, type Owner, type User } from '../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../test/support/keel.ts';
import { waitUntil } from '../../../test/support/queue-driver-contract.ts';
import { ApiError } from '../src/api/api-error.ts';
import { createKeelClient, type KeelClient } from '../src/api/client.ts';
import type { Fetch } from '../src/api/http.ts';
import { TOKEN_REFRESH_MARGIN_MS } from '../src/api/tenant-tokens.ts';

/**
 * The web app's API client against a real Keel, through a fetch that behaves like the browser on
 * Keel's origin: the session cookie (and the page's Origin on writes) go only with
 * `credentials: 'include'`, i.e. to /api/auth and /api/central, never to /api/v1.
 */
let keel: TestKeel;
let client: CentralClient;
let owner: Owner;
let second: Owner['organization'];

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '' });
  client = centralClient(keel);
  owner = await client.newOwner();
  second = await client.createOrganization(owner.cookie);
  for (const organization of [owner.organization, second]) {
    await client.createStoreOnceProvisioned(await client.token(owner, organization.id), `Store of ${organization.slug}`);
  }
});

afterAll(async () => {
  await keel?.stop();
});

describe('WEB-004 /api/v1 calls carry a token of the tenant in the URL', () => {
  it("reads each tenant's data with that tenant's own token, one token per tenant", async () => {
    const { app, requests } = browserClient(owner);
    const names = async (tenantId: string) => (await app.tenant(tenantId).stores()).items.map((store) => store.name);
    expect(await names(owner.organization.id)).toEqual([`Store of ${owner.organization.slug}`]);
    expect(await names(second.id)).toEqual([`Store of ${second.slug}`]);
    expect(await names(owner.organization.id)).toEqual([`Store of ${owner.organization.slug}`]);
    expect(tokenRequests(requests)).toEqual([owner.organization.id, second.id]);
    expect(requests.filter((request) => request.path.startsWith('/api/v1/')).every((request) => request.cookie === false && request.bearer)).toBe(true);
  });

  it('reuses a token until 30 s before it expires, then asks central for a new one first', async () => {
    const { app, requests } = browserClient(owner);
    const tenant = app.tenant(owner.organization.id);
    const first = await app.tokens.get(owner.organization.id);
    keel.clock.advance(Date.parse(first.expiresAt) - keel.clock.now().getTime() - TOKEN_REFRESH_MARGIN_MS - 1_000);
    await tenant.stores();
    expect(tokenRequests(requests)).toHaveLength(1);
    keel.clock.advance(2_000);
    await tenant.stores();
    expect(tokenRequests(requests)).toHaveLength(2);
    expect(requests.filter((request) => request.path.startsWith('/api/v1/')).map((request) => request.status)).toEqual([200, 200]);
  });
});

describe('WEB-005 a refused token is renewed once; other failures reach the page as ApiError', () => {
  it('renews a token the region refuses as AUTH_TOKEN_EXPIRED and retries the call once', async () => {
    // The app's clock runs behind the server's: only the region can tell the token has expired.
    const { app, requests } = browserClient(owner, () => Date.parse('2000-01-01T00:00:00Z'));
    const tenant = app.tenant(owner.organization.id);
    await tenant.stores();
    keel.clock.advance(10 * 60_000);
    expect((await tenant.stores()).items).toHaveLength(1);
    expect(requests.filter((request) => request.path.startsWith('/api/v1/')).map((request) => request.status)).toEqual([200, 401, 200]);
    expect(tokenRequests(requests)).toHaveLength(2);
  });

  it('renews a token the region refuses as AUTH_TOKEN_REVOKED (a role change) and retries the call once', async () => {
    const member = await addMember(client, owner, 'member');
    const { app, requests } = browserClient(member);
    const tenant = app.tenant(owner.organization.id);
    await tenant.stores();
    const revoked = (await app.tokens.get(owner.organization.id)).token;
    const changed = await client.central('PATCH', `/organizations/${owner.organization.id}/members/${member.userId}`, { cookie: owner.cookie, body: { role: 'admin' } });
    expect(changed.status).toBe(200);
    // The region learns of the revocation from central's feed.
    await waitUntil(async () => (await client.api(revoked, 'GET', '/stores')).status === 401);
    // Tokens issued in the second of the revocation count as issued before it; the test's clock stands still.
    keel.clock.advance(1_000);
    expect((await tenant.stores()).items).toHaveLength(1);
    expect(requests.filter((request) => request.path.startsWith('/api/v1/')).map((request) => request.status)).toEqual([200, 401, 200]);
    expect(tokenRequests(requests)).toHaveLength(2);
  });

  it('throws a refusal as ApiError with its status, code and request id', async () => {
    const { app } = browserClient(owner);
    const error = await app.tenant(owner.organization.id).store(randomUUID()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'STORE_NOT_FOUND', requestId: expect.any(String), details: [] });
  });

  it('throws VALIDATION_FAILED with the offending fields in details', async () => {
    const { app } = browserClient(owner);
    const error = await app.central.createOrganization({ name: 'Bad', slug: 'Not A Slug', currency: 'USD', timezone: 'UTC' }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'body.slug' })] });
  });

  it('throws a tenant the account is not a member of as ORG_NOT_FOUND, from central, before any /api/v1 call', async () => {
    const { app, requests } = browserClient(owner);
    const error = await app.tenant(randomUUID()).stores().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 404, code: 'ORG_NOT_FOUND' });
    expect(requests.filter((request) => request.path.startsWith('/api/v1/'))).toEqual([]);
  });
});

interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
  cookie: boolean;
  bearer: boolean;
  status: number;
}

/** The app's client as a browser on Keel's origin would run it for `user`, recording each request. */
function browserClient(user: User, now: () => number = () => keel.clock.now().getTime()): { app: KeelClient; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  const fetcher: Fetch = async (path, init) => {
    const headers = new Headers(init.headers);
    const cookie = init.credentials === 'include';
    if (cookie) {
      headers.set('cookie', user.cookie);
      if (init.method !== 'GET') headers.set('origin', keel.url);
    }
    const response = await fetch(`${keel.url}${path}`, { ...init, headers });
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method: init.method ?? 'GET', path, body, cookie, bearer: headers.has('authorization'), status: response.status });
    return response;
  };
  return { app: createKeelClient({ fetch: fetcher, now }), requests };
}

/** The tenants the client asked central tokens for, in order. */
function tokenRequests(requests: SeenRequest[]): string[] {
  return requests.filter((request) => request.path === '/api/central/tokens').map((request) => (request.body as { tenantId: string }).tenantId);
}
