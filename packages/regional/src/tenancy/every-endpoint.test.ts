import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeConsumer, waitForDeadLetter } from '../../../../test/support/dead-letter-probe.ts';
import { bearer, tamperClaims } from '../../../../test/support/token-issuer.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { asTenant } from '../../../../test/support/tenant-sql.ts';
import { regionalConsumers } from '../consumers.ts';
import { createLocalStorage } from '@keel/kernel';
import { imageFiles } from '../products/images/image-files.ts';

/**
 * Every `/api/v1` endpoint, as the running app registered it (its route registry): the tokens it
 * refuses, another tenant's ids it does not find, the roles it refuses. `endpoints` (at the bottom)
 * says how to call each route; the first test fails when the app has a route the table does not
 * know, so a new endpoint cannot go unchecked.
 *
 * A probe consumer fails on every `store.created`, so each store created here becomes a real dead
 * letter of its tenant (after MESSAGE_MAX_ATTEMPTS); the dead-letter routes get theirs that way.
 */

let keel: TestKeel;

beforeAll(async () => {
  keel = await startTestKeel({ MESSAGE_MAX_ATTEMPTS: '2', RETRY_BASE_DELAY_MS: '10' }, { consumers: [...regionalConsumers, probeConsumer('probe', () => true)] });
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-012 TEN-031 the endpoint table', () => {
  it('TEN-012 TEN-031 knows exactly the /api/v1 routes the app registered, which take an id and which list rows', () => {
    const registered = apiRoutes();
    expect(registered.toSorted()).toEqual(Object.keys(endpoints).toSorted());
    for (const route of registered) {
      const endpoint = endpoints[route]!;
      expect('resource' in endpoint, `${route}: a route with an id needs the resource it names`).toBe(route.includes('/:'));
      expect('tenantRows' in endpoint, `${route}: a list needs how many of the tenant's rows it shows`).toBe(route.startsWith('GET ') && !route.includes('/:'));
    }
  });
});

describe('TEN-010 TEN-011 no /api/v1 route reaches tenant data without a valid token', () => {
  let tenant: string;

  beforeAll(async () => {
    tenant = await newTenant();
  });

  it.each<{ token: string; code: string; headers: (tenantId: string) => Promise<Record<string, string>> }>([
    { token: 'no Authorization header', code: 'AUTH_TOKEN_MISSING', headers: async () => ({}) },
    { token: 'an empty Authorization header', code: 'AUTH_TOKEN_MISSING', headers: async () => ({ authorization: '' }) },
    { token: 'a forged signature', code: 'AUTH_TOKEN_INVALID', headers: async (tenantId) => bearer(await keel.issuer.signWithForeignKey({ tenantId, role: 'owner' })) },
    { token: 'a member token tampered to owner', code: 'AUTH_TOKEN_INVALID', headers: async (tenantId) => bearer(tamperClaims(await keel.issuer.sign({ tenantId, role: 'member' }), { role: 'owner' })) },
    { token: 'a token of another region', code: 'AUTH_TOKEN_WRONG_REGION', headers: async (tenantId) => bearer(await keel.issuer.sign({ tenantId, role: 'owner', region: 'eu-west' })) },
  ])('TEN-010 $token: every route answers 401 $code and runs no statement', async ({ headers, code }) => {
    await expectRefusedByEveryRoute(await headers(tenant), code);
  });

  it('TEN-010 an expired token: every route answers 401 AUTH_TOKEN_EXPIRED and runs no statement', async () => {
    const expired = bearer(await keel.issuer.sign({ tenantId: tenant, role: 'owner' }));
    keel.clock.advance(301_000);
    await expectRefusedByEveryRoute(expired, 'AUTH_TOKEN_EXPIRED');
  });

  it('TEN-011 a session cookie without a bearer token: every route answers 401 AUTH_TOKEN_MISSING and runs no statement', async () => {
    await expectRefusedByEveryRoute({ cookie: `better-auth.session_token=${randomUUID()}.signature` }, 'AUTH_TOKEN_MISSING');
  });
});

describe("TEN-012 another tenant's id is not found, on every /api/v1 route that takes one", () => {
  const cases = routesWhere((endpoint) => 'resource' in endpoint).map((route) => ({ route }));
  let inTenantA: Map<string, Prepared>;

  beforeAll(async () => {
    inTenantA = await prepareAll(cases);
  });

  it.each(cases)("TEN-012 $route with tenant A's id, as each allowed role of tenant B, answers 404 with the resource's code; A's data is unchanged", async (which) => {
    const endpoint = endpoints[which.route] as AddressingEndpoint;
    const { tenant: tenantA, request, target } = inTenantA.get(caseKey(which))!;
    const tenantB = await newTenant();
    const before = await stateOf(tenantA, endpoint, target);
    for (const role of allowedRoles(endpoint)) {
      expectError(await api(tenantB, role, request), 404, endpoint.resource.notFound, `as ${role}`);
    }
    expect(await stateOf(tenantA, endpoint, target)).toEqual(before);
  });

  describe("TEN-012 lists show none of another tenant's rows", () => {
    let tenantA: string;

    beforeAll(async () => {
      tenantA = await newTenant();
      await deadLetter.create(tenantA); // a store, its outbox event and an open dead letter
      await product.create(tenantA);
      await order.create(tenantA);
      await webhookEndpoint.create(tenantA); // H4
      await uploadedImport.create(tenantA); // H3
    });

    it.each(routesWhere((endpoint) => 'tenantRows' in endpoint))("TEN-012 %s shows tenant A's rows to A and none to tenant B", async (route) => {
      const endpoint = endpoints[route] as ListEndpoint;
      const tenantB = await newTenant();
      const role = allowedRoles(endpoint)[0]!;
      const request = requestOf(route, endpoint.request());
      expect(endpoint.tenantRows(expectOk(await api(tenantA, role, request)))).toBeGreaterThan(0);
      expect(endpoint.tenantRows(expectOk(await api(tenantB, role, request)))).toBe(0);
    });
  });
});

describe('TEN-031 every /api/v1 route refuses the roles below the one the role table requires', () => {
  const refused = routeRoles((endpoint, role) => !allowedRoles(endpoint).includes(role));
  const allowed = routeRoles((endpoint, role) => allowedRoles(endpoint).includes(role));
  let prepared: Map<string, Prepared>;

  beforeAll(async () => {
    prepared = await prepareAll([...refused, ...allowed]);
  });

  it.each(refused)('TEN-031 $route refuses the role $role with 403 FORBIDDEN_ROLE and changes nothing', async (which) => {
    const endpoint = endpoints[which.route]!;
    const { tenant, request, target } = prepared.get(caseKey(which))!;
    const before = await stateOf(tenant, endpoint, target);
    expectError(await api(tenant, which.role, request), 403, 'FORBIDDEN_ROLE');
    expect(await stateOf(tenant, endpoint, target)).toEqual(before);
  });

  it.each(allowed)('TEN-031 $route lets the role $role through', async (which) => {
    const { tenant, request } = prepared.get(caseKey(which))!;
    expectOk(await api(tenant, which.role, request));
  });
});

// ---------------------------------------------------------------------------------------------

type Role = 'member' | 'admin' | 'owner';
const ROLES: readonly Role[] = ['member', 'admin', 'owner'];

interface Resource {
  id: string;
  version: number;
}

/** A kind of tenant resource that routes address by id. */
interface ResourceKind {
  /** The code (404) of an id the tenant does not have. */
  notFound: string;
  /** A new one of the tenant, made through the API. */
  create(tenantId: string): Promise<Resource>;
  /** It, as the tenant's admin reads it now. */
  read(tenantId: string, id: string): Promise<Resource>;
}

interface EndpointBase {
  /** The lowest role the role table (specs/tenancy.md) allows to call it. */
  minimumRole: Role;
}

/** A route with an id: `request` addresses `target`, a fresh resource of the caller's tenant, and succeeds for an allowed role. */
interface AddressingEndpoint extends EndpointBase {
  resource: ResourceKind;
  request(target: Resource): InjectOptions;
}

/** A route without an id: `request` succeeds for an allowed role of a provisioned tenant. */
interface PlainEndpoint extends EndpointBase {
  request(): InjectOptions;
  /** What the request needs in a fresh tenant before it can succeed (rows it names by fixed ids). */
  setup?(tenantId: string): Promise<void>;
}

/** A list: `tenantRows` counts the tenant's own rows (or figures) the answer shows. */
interface ListEndpoint extends PlainEndpoint {
  tenantRows(response: LightMyRequestResponse): number;
}

type Endpoint = AddressingEndpoint | PlainEndpoint | ListEndpoint;

const store: ResourceKind = {
  notFound: 'STORE_NOT_FOUND',
  create: async (tenantId) => expectOk(await api(tenantId, 'admin', { method: 'POST', url: '/stores', payload: { name: `Store ${randomUUID()}` } })).json<Resource>(),
  read: async (tenantId, id) => expectOk(await api(tenantId, 'admin', { method: 'GET', url: `/stores/${id}` })).json<Resource>(),
};

const deadLetter: ResourceKind = {
  notFound: 'DEAD_LETTER_NOT_FOUND',
  create: async (tenantId) => {
    await store.create(tenantId);
    return deadLetter.read(tenantId, (await waitForDeadLetter(keel, tenantId)).id);
  },
  read: async (tenantId, id) => expectOk(await api(tenantId, 'admin', { method: 'GET', url: `/dead-letters/${id}` })).json<Resource>(),
};

// Webhooks (H4).
const webhookEndpoint: ResourceKind = {
  notFound: 'WEBHOOK_ENDPOINT_NOT_FOUND',
  create: async (tenantId) =>
    expectOk(await api(tenantId, 'admin', { method: 'POST', url: '/webhooks', payload: { url: 'https://hooks.example.com/keel', eventTypes: ['order.created'] } })).json<Resource>(),
  read: async (tenantId, id) => expectOk(await api(tenantId, 'admin', { method: 'GET', url: `/webhooks/${id}` })).json<Resource>(),
};

// CSV imports (H3): one awaiting its file (its signed upload URL kept by id), one with its file uploaded.
const IMPORT_CSV = 'sku,name,price_minor\nA-1,Apple,100\n';
const importUploadUrls = new Map<string, string>();
const importFileRequest = (id: string): InjectOptions => ({ method: 'PUT', url: importUploadUrls.get(id)!.slice(API.length), headers: { 'content-type': 'text/csv' }, payload: IMPORT_CSV });
const IMPORT_REQUEST = { kind: 'products-csv', fileName: 'products.csv', size: IMPORT_CSV.length, contentType: 'text/csv' };

const importAwaitingFile: ResourceKind = {
  notFound: 'IMPORT_NOT_FOUND',
  create: async (tenantId) => {
    const created = expectOk(await api(tenantId, 'admin', { method: 'POST', url: '/imports', payload: IMPORT_REQUEST })).json<{ import: Resource; upload: { url: string } }>();
    importUploadUrls.set(created.import.id, created.upload.url);
    return created.import;
  },
  read: async (tenantId, id) => expectOk(await api(tenantId, 'admin', { method: 'GET', url: `/imports/${id}` })).json<Resource>(),
};

const uploadedImport: ResourceKind = {
  ...importAwaitingFile,
  create: async (tenantId) => {
    const created = await importAwaitingFile.create(tenantId);
    expectOk(await api(tenantId, 'admin', importFileRequest(created.id)));
    return created;
  },
};

const product: ResourceKind = {
  notFound: 'PRODUCT_NOT_FOUND',
  create: async (tenantId) =>
    expectOk(await api(tenantId, 'admin', { method: 'POST', url: '/products', payload: { sku: `SKU-${randomUUID()}`, name: 'Product', priceMinor: 100 } })).json<Resource>(),
  read: async (tenantId, id) => expectOk(await api(tenantId, 'admin', { method: 'GET', url: `/products/${id}` })).json<Resource>(),
};

// Product images (H5): an image awaiting its file (its signed upload URL kept by product id), one
// whose file is stored, and one ready — made ready with SQL and a thumbnail file, as this Keel runs
// the probe's consumers rather than the thumbnail worker.
const IMAGE_BYTES = Buffer.from('image bytes: the routes here do not decode them');
const imageUploadUrls = new Map<string, string>();
const imageFileRequest = (productId: string): InjectOptions => ({ method: 'PUT', url: imageUploadUrls.get(productId)!.slice(API.length), headers: { 'content-type': 'image/png' }, payload: IMAGE_BYTES });

const productAwaitingImage: ResourceKind = {
  notFound: 'PRODUCT_IMAGE_NOT_FOUND',
  create: async (tenantId) => {
    const created = await product.create(tenantId);
    const requested = expectOk(await api(tenantId, 'admin', { method: 'POST', url: `/products/${created.id}/image`, payload: { contentType: 'image/png', size: IMAGE_BYTES.length } }));
    imageUploadUrls.set(created.id, requested.json<{ upload: { url: string } }>().upload.url);
    return created;
  },
  read: (tenantId, id) => product.read(tenantId, id),
};

const productWithStoredImage: ResourceKind = {
  ...productAwaitingImage,
  create: async (tenantId) => {
    const created = await productAwaitingImage.create(tenantId);
    expectOk(await api(tenantId, 'admin', imageFileRequest(created.id)));
    return created;
  },
};

const productWithReadyImage: ResourceKind = {
  ...productAwaitingImage,
  create: async (tenantId) => {
    const created = await productWithStoredImage.create(tenantId);
    const client = new pg.Client({ connectionString: keel.databases.regional.owner });
    await client.connect();
    try {
      const { rows } = await asTenant(client, tenantId, () => client.query<{ id: string }>(`update product_images set state = 'ready', width = 1, height = 1 where product_id = $1 returning id`, [created.id]), 'commit');
      const storage = createLocalStorage({ directory: keel.storageDir, signingSecret: 'only for placing a file', uploadTtlMs: 60_000, clock: keel.clock });
      await storage.put(imageFiles(tenantId, rows[0]!.id).thumbnail, IMAGE_BYTES, 'image/webp');
    } finally {
      await client.end();
    }
    return created;
  },
};

/** The store each review of the table was recorded on (reviews have no version; their routes need the store). */
const reviewStores = new Map<string, string>();

const review: ResourceKind = {
  notFound: 'REVIEW_NOT_FOUND',
  create: async (tenantId) => {
    const { id: storeId } = await store.create(tenantId);
    const created = expectOk(await api(tenantId, 'member', { method: 'POST', url: `/stores/${storeId}/reviews`, payload: { rating: 4, body: 'Kind staff.', authorName: 'Ada' } })).json<Resource>();
    reviewStores.set(created.id, storeId);
    return created;
  },
  read: async (tenantId, id) => {
    const listed = expectOk(await api(tenantId, 'admin', { method: 'GET', url: `/stores/${reviewStores.get(id)}/reviews?limit=200` })).json<{ items: Resource[] }>().items;
    const found = listed.find((item) => item.id === id);
    expect(found, `review ${id}`).toBeDefined();
    return found!;
  },
};

/**
 * An order names a store and a product of the tenant: `orderFixtures` inserts them with SQL under
 * the same ids in every tenant (keys are per tenant), so one request body fits any tenant.
 */
const ORDER_FIXTURES = { storeId: randomUUID(), productId: randomUUID() };
const ORDER_PAYLOAD = { storeId: ORDER_FIXTURES.storeId, customer: { name: 'Ada', email: 'ada@example.com' }, lines: [{ productId: ORDER_FIXTURES.productId, quantity: 1 }] };

async function orderFixtures(tenantId: string): Promise<void> {
  const client = new pg.Client({ connectionString: keel.databases.regional.owner });
  await client.connect();
  try {
    await asTenant(
      client,
      tenantId,
      async () => {
        await client.query(`insert into stores (tenant_id, id, name) values ($1, $2, 'Order desk') on conflict do nothing`, [tenantId, ORDER_FIXTURES.storeId]);
        await client.query(`insert into products (tenant_id, id, sku, name, price_minor) values ($1, $2, 'ORDER-DESK', 'Product', 100) on conflict do nothing`, [tenantId, ORDER_FIXTURES.productId]);
      },
      'commit',
    );
  } finally {
    await client.end();
  }
}

const order: ResourceKind = {
  notFound: 'ORDER_NOT_FOUND',
  create: async (tenantId) => {
    await orderFixtures(tenantId);
    return expectOk(await api(tenantId, 'member', { method: 'POST', url: '/orders', payload: ORDER_PAYLOAD })).json<Resource>();
  },
  read: async (tenantId, id) => expectOk(await api(tenantId, 'admin', { method: 'GET', url: `/orders/${id}` })).json<Resource>(),
};

const items = (response: LightMyRequestResponse) => response.json<{ items: unknown[] }>().items.length;

/** Every `/api/v1` route (path after `/api/v1`); a new one without an entry fails the first test. */
const endpoints: Record<string, Endpoint> = {
  'GET /stores': { minimumRole: 'member', request: () => ({ method: 'GET', url: '/stores' }), tenantRows: items },
  'POST /stores': { minimumRole: 'admin', request: () => ({ method: 'POST', url: '/stores', payload: { name: 'New store' } }) },
  'GET /stores/:storeId': { minimumRole: 'member', resource: store, request: (target) => ({ method: 'GET', url: `/stores/${target.id}` }) },
  'PATCH /stores/:storeId': {
    minimumRole: 'admin',
    resource: store,
    request: (target) => ({ method: 'PATCH', url: `/stores/${target.id}`, payload: { name: `Renamed ${randomUUID()}`, version: target.version } }),
  },
  'DELETE /stores/:storeId': { minimumRole: 'admin', resource: store, request: (target) => ({ method: 'DELETE', url: `/stores/${target.id}?version=${target.version}` }) },
  'POST /stores/:storeId/reviews': {
    minimumRole: 'member',
    resource: store,
    request: (target) => ({ method: 'POST', url: `/stores/${target.id}/reviews`, payload: { rating: 5, body: 'Great.', authorName: 'Grace' } }),
  },
  'GET /stores/:storeId/reviews': { minimumRole: 'member', resource: store, request: (target) => ({ method: 'GET', url: `/stores/${target.id}/reviews` }) },
  'DELETE /stores/:storeId/reviews/:reviewId': {
    minimumRole: 'admin',
    resource: review,
    request: (target) => ({ method: 'DELETE', url: `/stores/${reviewStores.get(target.id)}/reviews/${target.id}` }),
  },
  'GET /products': { minimumRole: 'member', request: () => ({ method: 'GET', url: '/products' }), tenantRows: items },
  'POST /products': { minimumRole: 'admin', request: () => ({ method: 'POST', url: '/products', payload: { sku: `SKU-${randomUUID()}`, name: 'New product', priceMinor: 100 } }) },
  'GET /products/:productId': { minimumRole: 'member', resource: product, request: (target) => ({ method: 'GET', url: `/products/${target.id}` }) },
  'PATCH /products/:productId': {
    minimumRole: 'admin',
    resource: product,
    request: (target) => ({ method: 'PATCH', url: `/products/${target.id}`, payload: { name: `Renamed ${randomUUID()}`, version: target.version } }),
  },
  'DELETE /products/:productId': { minimumRole: 'admin', resource: product, request: (target) => ({ method: 'DELETE', url: `/products/${target.id}?version=${target.version}` }) },
  // Product images (H5).
  'POST /products/:productId/image': {
    minimumRole: 'admin',
    resource: product,
    request: (target) => ({ method: 'POST', url: `/products/${target.id}/image`, payload: { contentType: 'image/png', size: IMAGE_BYTES.length } }),
  },
  'PUT /products/:productId/image/file': { minimumRole: 'admin', resource: productAwaitingImage, request: (target) => imageFileRequest(target.id) },
  'POST /products/:productId/image/uploaded': { minimumRole: 'admin', resource: productWithStoredImage, request: (target) => ({ method: 'POST', url: `/products/${target.id}/image/uploaded` }) },
  'DELETE /products/:productId/image': { minimumRole: 'admin', resource: productAwaitingImage, request: (target) => ({ method: 'DELETE', url: `/products/${target.id}/image` }) },
  'GET /products/:productId/image/thumbnail': { minimumRole: 'member', resource: productWithReadyImage, request: (target) => ({ method: 'GET', url: `/products/${target.id}/image/thumbnail` }) },
  'GET /orders': { minimumRole: 'member', request: () => ({ method: 'GET', url: '/orders' }), tenantRows: items },
  'POST /orders': { minimumRole: 'member', setup: orderFixtures, request: () => ({ method: 'POST', url: '/orders', payload: ORDER_PAYLOAD }) },
  'GET /orders/:orderId': { minimumRole: 'member', resource: order, request: (target) => ({ method: 'GET', url: `/orders/${target.id}` }) },
  'POST /orders/:orderId/status': {
    minimumRole: 'member',
    resource: order,
    request: (target) => ({ method: 'POST', url: `/orders/${target.id}/status`, payload: { status: 'CONFIRMED', version: target.version } }),
  },
  'PATCH /orders/:orderId': { minimumRole: 'member', resource: order, request: (target) => ({ method: 'PATCH', url: `/orders/${target.id}`, payload: { notes: 'Checked', version: target.version } }) },
  'GET /dead-letters': { minimumRole: 'admin', request: () => ({ method: 'GET', url: '/dead-letters' }), tenantRows: items },
  'GET /dead-letters/:deadLetterId': { minimumRole: 'admin', resource: deadLetter, request: (target) => ({ method: 'GET', url: `/dead-letters/${target.id}` }) },
  'POST /dead-letters/:deadLetterId/replay': {
    minimumRole: 'admin',
    resource: deadLetter,
    request: (target) => ({ method: 'POST', url: `/dead-letters/${target.id}/replay` }),
  },
  'POST /dead-letters/:deadLetterId/discard': {
    minimumRole: 'admin',
    resource: deadLetter,
    request: (target) => ({ method: 'POST', url: `/dead-letters/${target.id}/discard` }),
  },
  'GET /usage': {
    minimumRole: 'owner',
    request: () => ({ method: 'GET', url: '/usage' }),
    tenantRows: (response) => {
      const { usage, today } = response.json<{ usage: Record<string, number>; today: Record<string, number> }>();
      return [...Object.values(usage), ...Object.values(today)].reduce((sum, figure) => sum + figure, 0);
    },
  },
  'GET /ops/queues': {
    minimumRole: 'admin',
    request: () => ({ method: 'GET', url: '/ops/queues' }),
    tenantRows: (response) => {
      const { outbox, deadLetters } = response.json<{ outbox: { pending: number }; deadLetters: { open: number } }>();
      return outbox.pending + deadLetters.open;
    },
  },
  // Webhooks (H4).
  'GET /webhooks': { minimumRole: 'admin', request: () => ({ method: 'GET', url: '/webhooks' }), tenantRows: items },
  'POST /webhooks': { minimumRole: 'admin', request: () => ({ method: 'POST', url: '/webhooks', payload: { url: 'https://hooks.example.com/keel', eventTypes: ['order.created'] } }) },
  'GET /webhooks/:endpointId': { minimumRole: 'admin', resource: webhookEndpoint, request: (target) => ({ method: 'GET', url: `/webhooks/${target.id}` }) },
  'PATCH /webhooks/:endpointId': {
    minimumRole: 'admin',
    resource: webhookEndpoint,
    request: (target) => ({ method: 'PATCH', url: `/webhooks/${target.id}`, payload: { status: 'disabled', version: target.version } }),
  },
  'DELETE /webhooks/:endpointId': { minimumRole: 'admin', resource: webhookEndpoint, request: (target) => ({ method: 'DELETE', url: `/webhooks/${target.id}?version=${target.version}` }) },
  'POST /webhooks/:endpointId/rotate-secret': { minimumRole: 'admin', resource: webhookEndpoint, request: (target) => ({ method: 'POST', url: `/webhooks/${target.id}/rotate-secret` }) },
  'GET /webhooks/:endpointId/deliveries': { minimumRole: 'admin', resource: webhookEndpoint, request: (target) => ({ method: 'GET', url: `/webhooks/${target.id}/deliveries` }) },
  // CSV imports (H3).
  'POST /imports': { minimumRole: 'admin', request: () => ({ method: 'POST', url: '/imports', payload: IMPORT_REQUEST }) },
  'GET /imports': { minimumRole: 'admin', request: () => ({ method: 'GET', url: '/imports' }), tenantRows: items },
  'GET /imports/:importId': { minimumRole: 'admin', resource: uploadedImport, request: (target) => ({ method: 'GET', url: `/imports/${target.id}` }) },
  'GET /imports/:importId/rejections': { minimumRole: 'admin', resource: uploadedImport, request: (target) => ({ method: 'GET', url: `/imports/${target.id}/rejections` }) },
  'PUT /imports/:importId/file': { minimumRole: 'admin', resource: importAwaitingFile, request: (target) => importFileRequest(target.id) },
  'POST /imports/:importId/uploaded': { minimumRole: 'admin', resource: uploadedImport, request: (target) => ({ method: 'POST', url: `/imports/${target.id}/uploaded` }) },
};

const API = '/api/v1';

/**
 * The `/api/v1` routes the running app registered, as `METHOD /path`; the HEAD route Fastify adds
 * for each GET is the GET route itself.
 */
function apiRoutes(): string[] {
  const routes = keel.app.registeredRoutes.filter((route) => route.url === API || route.url.startsWith(`${API}/`));
  const gets = new Set(routes.filter((route) => route.method === 'GET').map((route) => route.url));
  return routes.filter((route) => !(route.method === 'HEAD' && gets.has(route.url))).map((route) => `${route.method} ${route.url.slice(API.length)}`);
}

function routesWhere(predicate: (endpoint: Endpoint) => boolean): string[] {
  return Object.entries(endpoints)
    .filter(([, endpoint]) => predicate(endpoint))
    .map(([route]) => route);
}

function routeRoles(predicate: (endpoint: Endpoint, role: Role) => boolean): { route: string; role: Role }[] {
  return Object.entries(endpoints).flatMap(([route, endpoint]) => ROLES.filter((role) => predicate(endpoint, role)).map((role) => ({ route, role })));
}

function allowedRoles(endpoint: Endpoint): Role[] {
  return ROLES.slice(ROLES.indexOf(endpoint.minimumRole));
}

interface Prepared {
  tenant: string;
  /** The endpoint's request, ready to succeed for an allowed role of the tenant. */
  request: InjectOptions;
  /** The resource of the tenant it addresses (routes with an id). */
  target?: Resource;
}

interface Case {
  route: string;
  role?: Role;
}

const caseKey = ({ route, role }: Case) => `${route} as ${role ?? 'any role'}`;

/**
 * For each case, a new tenant and the route's request in it, with a fresh resource for routes with
 * an id; all at once, as each dead letter takes the probe's attempts.
 */
async function prepareAll(cases: Case[]): Promise<Map<string, Prepared>> {
  return new Map(await Promise.all(cases.map(async (which) => [caseKey(which), await prepare(which.route)] as const)));
}

async function prepare(route: string): Promise<Prepared> {
  const endpoint = endpoints[route]!;
  const tenant = await newTenant();
  if (!('resource' in endpoint)) {
    await endpoint.setup?.(tenant);
    return { tenant, request: requestOf(route, endpoint.request()) };
  }
  const target = await endpoint.resource.create(tenant);
  return { tenant, request: requestOf(route, endpoint.request(target)), target };
}

/** The request, once seen to be one for the route (`METHOD /path/:param`) its entry is under. */
function requestOf(route: string, request: InjectOptions): InjectOptions {
  const pattern = new RegExp(`^${route.replaceAll(/:\w+/g, '[^/?]+')}(\\?|$)`);
  expect(`${request.method} ${String(request.url)}`, `the request of ${route}`).toMatch(pattern);
  return request;
}

/** What a request could have changed: the tenant's stores, and the resource it addressed as read now. */
async function stateOf(tenantId: string, endpoint: Endpoint, target: Resource | undefined) {
  const stores = expectOk(await api(tenantId, 'admin', { method: 'GET', url: '/stores?limit=200' })).json<{ items: Resource[] }>().items;
  return { stores, target: target && 'resource' in endpoint ? await endpoint.resource.read(tenantId, target.id) : null };
}

/** Every registered `/api/v1` route (ids filled with UUIDs) refuses the headers with 401 `code` before any statement runs. */
async function expectRefusedByEveryRoute(headers: Record<string, string>, code: string): Promise<void> {
  const routes = apiRoutes();
  expect(routes.length).toBeGreaterThan(0);
  for (const route of routes) {
    const [method, path] = route.split(' ') as [InjectOptions['method'], string];
    const response = await keel.app.inject({ method, url: API + path.replaceAll(/:\w+/g, () => randomUUID()), headers });
    expectError(response, 401, code, route);
    expect(response.headers['x-query-count'], route).toBe('0');
  }
}

/** A provisioned tenant of the region. */
async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

/** A request to `/api/v1` with a fresh token of the tenant and role. */
async function api(tenantId: string, role: Role, request: InjectOptions): Promise<LightMyRequestResponse> {
  return keel.app.inject({ ...request, url: `${API}${String(request.url)}`, headers: { ...(request.headers as Record<string, string> | undefined), ...(await keel.authorization(tenantId, { role })) } });
}

function expectOk(response: LightMyRequestResponse): LightMyRequestResponse {
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBeGreaterThanOrEqual(200);
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBeLessThan(300);
  return response;
}

/** An error response `{code, requestId}` with the status. */
function expectError(response: LightMyRequestResponse, status: number, code: string, context?: string): void {
  expect({ status: response.statusCode, body: response.json() }, context).toEqual({ status, body: { code, requestId: expect.any(String) } });
}


