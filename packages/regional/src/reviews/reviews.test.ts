import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';

/** A store's reviews (specs/reviews.md), through the composed app. */

let keel: TestKeel;
/** The regional owner: seeds many reviews in one statement, under the tenant's row-level security. */
let owner: pg.Client;
/** The worker role reads the outbox across tenants, as the relay does. */
let worker: pg.Client;

beforeAll(async () => {
  keel = await startTestKeel();
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  worker = new pg.Client({ connectionString: keel.databases.regional.worker });
  await Promise.all([owner.connect(), worker.connect()]);
});

afterAll(async () => {
  await Promise.all([owner?.end(), worker?.end()]);
  await keel?.stop();
});

describe('REV-001 recording a review', () => {
  it.each(ROLES)('REV-001 a %s records a review on a store of the tenant: 201 with the review, text trimmed', async (role) => {
    const { tenant, store } = await newStore();
    const response = await api(tenant, { method: 'POST', url: `/stores/${store}/reviews`, payload: { rating: 4, body: '  Friendly staff, slow tills.  ', authorName: ' Ada L. ' } }, role);
    expect(response.statusCode, response.body).toBe(201);
    const review = response.json<Review>();
    expect(review).toEqual({ id: expect.stringMatching(UUID), storeId: store, rating: 4, body: 'Friendly staff, slow tills.', authorName: 'Ada L.', createdAt: expect.stringMatching(ISO) });
    expect(await listAll(tenant, store)).toEqual([review]);
  });
});

describe('REV-002 the rating', () => {
  it.each([1, 5])('REV-002 accepts a rating of %s', async (rating) => {
    const { tenant, store } = await newStore();
    expect((await recordReview(tenant, store, { rating })).rating).toBe(rating);
  });

  it.each<{ kind: string; payload: Record<string, unknown> }>([
    { kind: '0', payload: { ...validReview, rating: 0 } },
    { kind: '6', payload: { ...validReview, rating: 6 } },
    { kind: '-1', payload: { ...validReview, rating: -1 } },
    { kind: 'a fraction', payload: { ...validReview, rating: 2.5 } },
    { kind: 'a numeric string', payload: { ...validReview, rating: '3' } },
    { kind: 'null', payload: { ...validReview, rating: null } },
    { kind: 'missing', payload: { body: validReview.body, authorName: validReview.authorName } },
  ])('REV-002 refuses a rating that is $kind (400 VALIDATION_FAILED on body.rating) and records nothing', async ({ payload }) => {
    const { tenant, store } = await newStore();
    expectError(await api(tenant, { method: 'POST', url: `/stores/${store}/reviews`, payload }), 400, 'VALIDATION_FAILED', ['body.rating']);
    await expectNoReviews(tenant, store);
  });
});

describe('REV-003 the text of a review', () => {
  it.each([
    { field: 'body', length: 2000, value: `  ${'b'.repeat(2000)}  `, stored: 'b'.repeat(2000) },
    { field: 'authorName', length: 100, value: ` ${'a'.repeat(100)} `, stored: 'a'.repeat(100) },
    { field: 'body', length: 1, value: 'x', stored: 'x' },
  ])('REV-003 accepts a $field of $length characters after trimming', async ({ field, value, stored }) => {
    const { tenant, store } = await newStore();
    expect(await recordReview(tenant, store, { [field]: value })).toMatchObject({ [field]: stored });
  });

  it.each([
    { field: 'body', kind: 'empty', value: '' },
    { field: 'body', kind: 'blank', value: '   ' },
    { field: 'body', kind: '2001 characters', value: 'b'.repeat(2001) },
    { field: 'body', kind: 'with a line break', value: 'Good.\nWould come back.' },
    { field: 'body', kind: 'with a NUL character', value: 'Good\u0000' },
    { field: 'body', kind: 'a number', value: 5 },
    { field: 'authorName', kind: 'empty', value: '' },
    { field: 'authorName', kind: '101 characters', value: 'a'.repeat(101) },
    { field: 'authorName', kind: 'with a tab', value: 'Ada\tL.' },
    { field: 'extra', kind: 'an unknown field', value: true },
  ])('REV-003 refuses a $field that is $kind (400 VALIDATION_FAILED on body.$field) and records nothing', async ({ field, value }) => {
    const { tenant, store } = await newStore();
    const response = await api(tenant, { method: 'POST', url: `/stores/${store}/reviews`, payload: { ...validReview, [field]: value } });
    expectError(response, 400, 'VALIDATION_FAILED', [`body.${field}`]);
    await expectNoReviews(tenant, store);
  });

  it('REV-003 refuses a missing body and author name, naming both', async () => {
    const { tenant, store } = await newStore();
    expectError(await api(tenant, { method: 'POST', url: `/stores/${store}/reviews`, payload: { rating: 3 } }), 400, 'VALIDATION_FAILED', ['body.body', 'body.authorName']);
    await expectNoReviews(tenant, store);
  });
});

describe('REV-004 the reviews of a store the tenant does not have', () => {
  const requests = [
    { endpoint: 'POST /stores/:storeId/reviews', request: (storeId: string): InjectOptions => ({ method: 'POST', url: `/stores/${storeId}/reviews`, payload: validReview }) },
    { endpoint: 'GET /stores/:storeId/reviews', request: (storeId: string): InjectOptions => ({ method: 'GET', url: `/stores/${storeId}/reviews` }) },
  ];

  it.each(requests)('REV-004 $endpoint of an unknown store id answers 404 STORE_NOT_FOUND and records nothing', async ({ request }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, request(randomUUID())), 404, 'STORE_NOT_FOUND');
    expect(await reviewRowsOf(tenant)).toBe(0);
  });

  it.each(requests)("REV-004 TEN-012 $endpoint with tenant A's store id, as tenant B, answers 404 STORE_NOT_FOUND; A's reviews are unchanged", async ({ request }) => {
    const { tenant: tenantA, store } = await newStore();
    const existing = await recordReview(tenantA, store);
    const tenantB = await newTenant();
    expectError(await api(tenantB, request(store)), 404, 'STORE_NOT_FOUND');
    expect(await listAll(tenantA, store)).toEqual([existing]);
    expect(await reviewRowsOf(tenantB)).toBe(0);
  });

  it('REV-004 TEN-013 a tenant the region has not provisioned yet gets 503 TENANT_PROVISIONING with Retry-After when it records a review, and 404 STORE_NOT_FOUND when it lists', async () => {
    const unprovisioned = randomUUID();
    const recorded = await api(unprovisioned, requests[0]!.request(randomUUID()));
    expectError(recorded, 503, 'TENANT_PROVISIONING');
    expect(recorded.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expectError(await api(unprovisioned, requests[1]!.request(randomUUID())), 404, 'STORE_NOT_FOUND');
    expect(await reviewRowsOf(unprovisioned)).toBe(0);
  });

  it('REV-004 a store id that is not a UUID answers 400 on params.storeId', async () => {
    const tenant = await newTenant();
    for (const { request } of requests) expectError(await api(tenant, request('not-a-uuid')), 400, 'VALIDATION_FAILED', ['params.storeId']);
  });
});

describe('REV-005 the review list of a store', () => {
  it("REV-005 lists the store's reviews newest first, in pages, every review exactly once, the last page without a cursor", async () => {
    const { tenant, store } = await newStore();
    const recorded: string[] = [];
    for (let index = 0; index < 7; index += 1) recorded.push((await recordReview(tenant, store, { body: `Visit ${index}` })).id);
    const otherStore = await createStore(tenant);
    await recordReview(tenant, otherStore, { body: 'Elsewhere' });
    const pages = await pagesOf(tenant, store, { limit: 3 });
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((page) => page.items.map((review) => review.id))).toEqual(recorded.toReversed());
    expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, true]);
  });

  it('REV-005 returns 50 reviews by default and at most 200 per page', async () => {
    const { tenant, store } = await newStore();
    await seedReviews(tenant, store, 201);
    const byDefault = expectOk(await api(tenant, { method: 'GET', url: `/stores/${store}/reviews` })).json<ReviewPage>();
    expect(byDefault.items).toHaveLength(50);
    expect(byDefault.nextCursor).toEqual(expect.any(String));
    const pages = await pagesOf(tenant, store, { limit: 200 });
    expect(pages.map((page) => page.items.length)).toEqual([200, 1]);
    expect(new Set(pages.flatMap((page) => page.items.map((review) => review.id))).size).toBe(201);
  });

  it.each([
    { query: 'limit=0', path: 'query.limit' },
    { query: 'limit=201', path: 'query.limit' },
    { query: 'cursor=garbage', path: 'query.cursor' },
    { query: `cursor=${randomUUID()}`, path: 'query.cursor' },
    { query: 'sort=rating', path: 'query.sort' },
  ])('REV-005 refuses $query (400 VALIDATION_FAILED on $path)', async ({ query, path }) => {
    const { tenant, store } = await newStore();
    expectError(await api(tenant, { method: 'GET', url: `/stores/${store}/reviews?${query}` }), 400, 'VALIDATION_FAILED', [path]);
  });
});

describe('REV-006 listing the reviews of one rating', () => {
  it('REV-006 ?rating= lists only the reviews with exactly that rating, newest first, in pages', async () => {
    const { tenant, store } = await newStore();
    const recorded: Review[] = [];
    for (const rating of [5, 1, 5, 3, 5, 4, 2, 5]) recorded.push(await recordReview(tenant, store, { rating }));
    const fives = recorded.filter((review) => review.rating === 5).toReversed();
    const pages = await pagesOf(tenant, store, { limit: 3, rating: 5 });
    expect(pages.flatMap((page) => page.items)).toEqual(fives);
    expect(pages.map((page) => page.items.length)).toEqual([3, 1]);
    expect(await listAll(tenant, store, { rating: 3 })).toEqual(recorded.filter((review) => review.rating === 3));
  });

  it.each(['0', '6', '2.5', 'five', ''])('REV-006 refuses rating=%s (400 VALIDATION_FAILED on query.rating)', async (rating) => {
    const { tenant, store } = await newStore();
    expectError(await api(tenant, { method: 'GET', url: `/stores/${store}/reviews?rating=${rating}` }), 400, 'VALIDATION_FAILED', ['query.rating']);
  });
});

describe('REV-007 the review list runs as many statements for 500 reviews as for 5', () => {
  let tenant: string;
  let few: string;
  let many: string;

  beforeAll(async () => {
    tenant = await newTenant();
    [few, many] = [await createStore(tenant), await createStore(tenant)];
    await seedReviews(tenant, few!, 5);
    await seedReviews(tenant, many!, 500);
  });

  it.each(['', '?limit=200', '?rating=3'])('REV-007 GET /stores/:storeId/reviews%s answers the same x-query-count for 5 and for 500 reviews', async (query) => {
    const [small, large] = [await api(tenant, { method: 'GET', url: `/stores/${few}/reviews${query}` }), await api(tenant, { method: 'GET', url: `/stores/${many}/reviews${query}` })];
    expect(expectOk(large).json<ReviewPage>().items.length).toBeGreaterThan(expectOk(small).json<ReviewPage>().items.length);
    expect(large.headers['x-query-count']).toMatch(/^\d+$/);
    expect(large.headers['x-query-count']).toBe(small.headers['x-query-count']);
  });
});

describe('REV-008 deleting a review', () => {
  it.each<Role>(['admin', 'owner'])('REV-008 an %s deletes a review (204), after which it is no longer listed; the others stay', async (role) => {
    const { tenant, store } = await newStore();
    const [kept, deleted] = [await recordReview(tenant, store), await recordReview(tenant, store)];
    const response = await api(tenant, { method: 'DELETE', url: `/stores/${store}/reviews/${deleted.id}` }, role);
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');
    expect(await listAll(tenant, store)).toEqual([kept]);
  });

  it('REV-008 TEN-031 a member gets 403 FORBIDDEN_ROLE and the review stays', async () => {
    const { tenant, store } = await newStore();
    const review = await recordReview(tenant, store);
    expectError(await api(tenant, { method: 'DELETE', url: `/stores/${store}/reviews/${review.id}` }, 'member'), 403, 'FORBIDDEN_ROLE');
    expect(await listAll(tenant, store)).toEqual([review]);
  });
});

describe('REV-009 deleting a review that is not on that store of the tenant', () => {
  it.each<{ kind: string; address: (setup: { tenantA: string; storeA: string; reviewA: Review; otherStoreA: string; tenantB: string }) => Promise<{ tenant: string; url: string }> }>([
    { kind: 'an unknown review id', address: async ({ tenantA, storeA }) => ({ tenant: tenantA, url: `/stores/${storeA}/reviews/${randomUUID()}` }) },
    { kind: 'an unknown store id', address: async ({ tenantA, reviewA }) => ({ tenant: tenantA, url: `/stores/${randomUUID()}/reviews/${reviewA.id}` }) },
    { kind: 'a review of another store of the tenant', address: async ({ tenantA, otherStoreA, reviewA }) => ({ tenant: tenantA, url: `/stores/${otherStoreA}/reviews/${reviewA.id}` }) },
    { kind: "another tenant's review, as tenant B", address: async ({ tenantB, storeA, reviewA }) => ({ tenant: tenantB, url: `/stores/${storeA}/reviews/${reviewA.id}` }) },
  ])('REV-009 $kind answers 404 REVIEW_NOT_FOUND and deletes nothing', async ({ address }) => {
    const { tenant: tenantA, store: storeA } = await newStore();
    const reviewA = await recordReview(tenantA, storeA);
    const otherStoreA = await createStore(tenantA);
    const otherReview = await recordReview(tenantA, otherStoreA);
    const { tenant, url } = await address({ tenantA, storeA, reviewA, otherStoreA, tenantB: await newTenant() });
    expectError(await api(tenant, { method: 'DELETE', url }, 'owner'), 404, 'REVIEW_NOT_FOUND');
    expect([await listAll(tenantA, storeA), await listAll(tenantA, otherStoreA)]).toEqual([[reviewA], [otherReview]]);
  });

  it('REV-009 deleting a review twice answers 404 REVIEW_NOT_FOUND the second time', async () => {
    const { tenant, store } = await newStore();
    const review = await recordReview(tenant, store);
    expect((await api(tenant, { method: 'DELETE', url: `/stores/${store}/reviews/${review.id}` }, 'admin')).statusCode).toBe(204);
    expectError(await api(tenant, { method: 'DELETE', url: `/stores/${store}/reviews/${review.id}` }, 'admin'), 404, 'REVIEW_NOT_FOUND');
  });

  it('REV-009 a review id that is not a UUID answers 400 on params.reviewId', async () => {
    const { tenant, store } = await newStore();
    expectError(await api(tenant, { method: 'DELETE', url: `/stores/${store}/reviews/not-a-uuid` }, 'admin'), 400, 'VALIDATION_FAILED', ['params.reviewId']);
  });
});

describe('REV-010 review changes append their events to the outbox; refused ones append none', () => {
  it('REV-010 appends review.created and then review.deleted with the review id, store id and rating', async () => {
    const { tenant, store } = await newStore();
    const review = await recordReview(tenant, store, { rating: 2 });
    expect(await reviewEventsOf(tenant)).toEqual([{ type: 'review.created', payload: { reviewId: review.id, storeId: store, rating: 2 } }]);
    expect((await api(tenant, { method: 'DELETE', url: `/stores/${store}/reviews/${review.id}` }, 'admin')).statusCode).toBe(204);
    expect((await reviewEventsOf(tenant)).at(-1)).toEqual({ type: 'review.deleted', payload: { reviewId: review.id, storeId: store, rating: 2 } });
  });

  it.each<{ refusal: string; status: number; role?: Role; request: (store: string, review: Review) => InjectOptions }>([
    { refusal: 'an invalid rating', status: 400, request: (store) => ({ method: 'POST', url: `/stores/${store}/reviews`, payload: { ...validReview, rating: 9 } }) },
    { refusal: 'an unknown store', status: 404, request: () => ({ method: 'POST', url: `/stores/${randomUUID()}/reviews`, payload: validReview }) },
    { refusal: "a member's delete", status: 403, role: 'member', request: (store, review) => ({ method: 'DELETE', url: `/stores/${store}/reviews/${review.id}` }) },
    { refusal: 'a delete of an unknown review', status: 404, role: 'admin', request: (store) => ({ method: 'DELETE', url: `/stores/${store}/reviews/${randomUUID()}` }) },
  ])('REV-010 $refusal ($status) appends no event', async ({ status, role, request }) => {
    const { tenant, store } = await newStore();
    const review = await recordReview(tenant, store);
    const before = await outboxRowsOf(tenant);
    expect((await api(tenant, request(store, review), role)).statusCode).toBe(status);
    expect(await outboxRowsOf(tenant)).toBe(before);
  });
});

describe('REV-011 a store takes its reviews with it', () => {
  it('REV-011 deleting a store deletes its reviews, and only its own', async () => {
    const { tenant, store } = await newStore();
    const kept = await createStore(tenant);
    await seedReviews(tenant, store, 3);
    const keptReview = await recordReview(tenant, kept);
    const version = expectOk(await api(tenant, { method: 'GET', url: `/stores/${store}` })).json<{ version: number }>().version;
    expect((await api(tenant, { method: 'DELETE', url: `/stores/${store}?version=${version}` }, 'admin')).statusCode).toBe(204);
    expect(await reviewRowsOf(tenant)).toBe(1);
    expect(await listAll(tenant, kept)).toEqual([keptReview]);
  });
});

// ---------------------------------------------------------------------------------------------

type Role = 'member' | 'admin' | 'owner';
const ROLES: readonly Role[] = ['member', 'admin', 'owner'];

interface Review {
  id: string;
  storeId: string;
  rating: number;
  body: string;
  authorName: string;
  createdAt: string;
}

interface ReviewPage {
  items: Review[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const validReview = { rating: 4, body: 'Quick and kind.', authorName: 'Grace' };

/** A provisioned tenant of the region. */
async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

async function createStore(tenantId: string): Promise<string> {
  return expectOk(await api(tenantId, { method: 'POST', url: '/stores', payload: { name: `Store ${randomUUID()}` } }, 'admin')).json<{ id: string }>().id;
}

/** A new tenant with one store. */
async function newStore(): Promise<{ tenant: string; store: string }> {
  const tenant = await newTenant();
  return { tenant, store: await createStore(tenant) };
}

/** A request to `/api/v1` with a fresh token of the tenant and role (a member unless told). */
async function api(tenantId: string, request: InjectOptions, role: Role = 'member'): Promise<LightMyRequestResponse> {
  return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers: await keel.authorization(tenantId, { role }) });
}

async function recordReview(tenantId: string, storeId: string, overrides: Record<string, unknown> = {}): Promise<Review> {
  const response = await api(tenantId, { method: 'POST', url: `/stores/${storeId}/reviews`, payload: { ...validReview, ...overrides } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Review>();
}

/** Follows `nextCursor` from the first page to the last. */
async function pagesOf(tenantId: string, storeId: string, query: { limit?: number; rating?: number } = {}): Promise<ReviewPage[]> {
  const pages: ReviewPage[] = [];
  let cursor: string | null = null;
  do {
    const parameters = new URLSearchParams({ limit: String(query.limit ?? 200), ...(query.rating === undefined ? {} : { rating: String(query.rating) }), ...(cursor === null ? {} : { cursor }) });
    const page: ReviewPage = expectOk(await api(tenantId, { method: 'GET', url: `/stores/${storeId}/reviews?${parameters}` })).json<ReviewPage>();
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

async function listAll(tenantId: string, storeId: string, query: { rating?: number } = {}): Promise<Review[]> {
  return (await pagesOf(tenantId, storeId, query)).flatMap((page) => page.items);
}

/** Nothing recorded: the store lists no review and the tenant's outbox has no review event. */
async function expectNoReviews(tenantId: string, storeId: string): Promise<void> {
  expect(await listAll(tenantId, storeId)).toEqual([]);
  expect(await reviewEventsOf(tenantId)).toEqual([]);
}

/** `count` reviews on the store in one statement, ratings 1 to 5 in turn. */
async function seedReviews(tenantId: string, storeId: string, count: number): Promise<void> {
  await asTenant(
    owner,
    tenantId,
    (client) =>
      client.query(
        `insert into reviews (tenant_id, store_id, rating, body, author_name)
         select $1, $2, 1 + n % 5, 'Seeded review ' || n, 'Seeder' from generate_series(1, $3::int) as n`,
        [tenantId, storeId, count],
      ),
    'commit',
  );
}

/** The tenant's review rows, all stores, as the database holds them. */
async function reviewRowsOf(tenantId: string): Promise<number> {
  return asTenant(owner, tenantId, async (client) => (await client.query<{ count: number }>('select count(*)::int as count from reviews')).rows[0]!.count);
}

async function reviewEventsOf(tenantId: string): Promise<{ type: string; payload: unknown }[]> {
  const { rows } = await worker.query<{ type: string; payload: unknown }>(`select type, payload from outbox where tenant_id = $1 and type like 'review.%' order by id`, [tenantId]);
  return rows;
}

async function outboxRowsOf(tenantId: string): Promise<number> {
  const { rows } = await worker.query<{ count: number }>('select count(*)::int as count from outbox where tenant_id = $1', [tenantId]);
  return rows[0]!.count;
}

function expectOk(response: LightMyRequestResponse): LightMyRequestResponse {
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(200);
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response;
}

/** An error response: `{code, requestId}`, plus `details` naming exactly `paths` when given. */
function expectError(response: LightMyRequestResponse, status: number, code: string, paths?: string[]): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<{ code: string; requestId: string; details?: { path: string }[] }>();
  expect(body).toEqual({ code, requestId: expect.any(String), ...(paths ? { details: expect.any(Array) } : {}) });
  if (paths) expect(body.details?.map((detail) => detail.path)).toEqual(paths);
}
