import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, type DatabaseUrls } from '@keel/kernel';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.ts';
import { spawnProcessGroup, type GroupProcess } from '../../../../test/support/processes.ts';
import { waitUntil } from '../../../../test/support/queue-driver-contract.ts';

/**
 * Central and the region as separate processes (`keel start` with KEEL_ROLE=central and
 * KEEL_ROLE=regional) on the harness's databases, talking over HTTP only: the region learns plans
 * from central's feed, verifies central's tokens with its JWKS, and reports usage to central. Then
 * central stops, and the region carries on with what it knows; then central comes back.
 * The tests of this file run in order, on one organization.
 */
const LISTENING = '"msg":"Keel is listening"';
const CREDENTIAL = `region-credential-${randomUUID()}`;
const AUTH_SECRET = `auth-secret-${randomUUID()}`;
const PASSWORD = 'correct horse battery staple';

let databases: TestDatabases;
let central: KeelProcess | undefined;
let region: KeelProcess | undefined;
let centralPort: number;
let owner: { cookie: string; organizationId: string; bearer: string };

beforeAll(async () => {
  databases = await createTestDatabases();
  centralPort = await findFreePort();
  central = await startCentral();
  region = await startKeel('region', {
    KEEL_ROLE: 'regional',
    ...databaseEnvironment('REGIONAL', databases.regional),
    CENTRAL_URL: centralUrl(),
    CENTRAL_JWKS_URL: `${centralUrl()}/api/central/jwks.json`,
    // Keys older than a millisecond are fetched again, and kept when central does not answer (TEN-014).
    JWKS_CACHE_MAX_AGE_MS: '1',
    FEED_LONG_POLL_MS: '2000',
    FEED_RETRY_DELAY_MS: '200',
    USAGE_REPORT_INTERVAL_MS: '200',
  });
  owner = await newOwner();
});

afterAll(async () => {
  await Promise.all([stop(region), stop(central)]);
  await databases?.drop();
});

describe('SUB-031 the region enforces the plans it learned from central, with central stopped too', () => {
  it("SUB-031 learns the Free plan from central's feed and refuses a second store", async () => {
    await waitUntil(async () => (await createStore('First')).status !== 503);
    expect((await region!.api(owner.bearer, 'GET', '/stores')).body).toMatchObject({ items: [{ name: 'First' }] });
    expect(await createStore('Second')).toEqual({ status: 402, body: expect.objectContaining({ code: 'PLAN_LIMIT_REACHED', details: [{ path: 'limit.stores', rule: 'plan_limit' }] }) });
  });

  it("SUB-031 learns the upgrade to Pro from central's feed and takes stores up to Pro's limit", async () => {
    const upgraded = await central!.api(undefined, 'POST', `/api/central/organizations/${owner.organizationId}/subscription/upgrade`, { plan: 'pro' }, owner.cookie);
    expect(upgraded.status).toBe(200);
    await waitUntil(async () => (await usage()).plan === 'pro');
    for (let store = 2; store <= 10; store += 1) expect((await createStore(`Store ${store}`)).status).toBe(201);
    expect((await createStore('Eleventh')).status).toBe(402);
  });

  it('SUB-031 with central stopped, keeps serving tokens signed before and enforcing the last plan it applied', async () => {
    await stop(central);
    central = undefined;
    expect(await fetch(`${centralUrl()}/health`).catch(() => 'down')).toBe('down');

    const stores = await region!.api(owner.bearer, 'GET', '/stores?limit=200');
    expect(stores.status).toBe(200);
    expect((stores.body as { items: unknown[] }).items).toHaveLength(10);
    expect(await usage()).toMatchObject({ plan: 'pro', limits: { stores: 10 }, usage: { stores: 10 } });
    expect(await createStore('Eleventh')).toMatchObject({ status: 402, body: { code: 'PLAN_LIMIT_REACHED' } });
    const [first] = (stores.body as { items: { id: string; version: number }[] }).items;
    expect((await region!.api(owner.bearer, 'DELETE', `/stores/${first!.id}?version=${first!.version}`)).status).toBe(204);
    expect((await createStore('Replacement')).status).toBe(201);
    expect((await createStore('One too many')).status).toBe(402);
  });
});

describe('SUB-040 usage reports across processes', () => {
  it('SUB-040 the reports that failed while central was down are sent again once it is back', async () => {
    await region!.waitForLine('"msg":"usage report failed; retrying next interval"');
    central = await startCentral();
    await waitUntil(async () => (await subscriptionUsage()).stores === 10);
    expect(await subscriptionUsage()).toMatchObject({ stores: 10, ordersPerMonth: 0 });
  });
});

// ---------------------------------------------------------------------------------------------

interface KeelProcess extends GroupProcess {
  url: string;
  /** A request with JSON in and out; a bearer token for `/api/v1`, a cookie (and Keel's origin) for central. */
  api(bearer: string | undefined, method: string, path: string, body?: unknown, cookie?: string): Promise<{ status: number; body: unknown }>;
}

function centralUrl(): string {
  return `http://127.0.0.1:${centralPort}`;
}

/** Central alone, on the same port every time (the region knows it by its URL), keeping its sessions across starts. */
function startCentral(): Promise<KeelProcess> {
  return startKeel('central', { KEEL_ROLE: 'central', ...databaseEnvironment('CENTRAL', databases.central), AUTH_SECRET }, centralPort);
}

/** `keel start` as a process group of its own, resolved once it listens. */
async function startKeel(label: string, env: Record<string, string>, port?: number): Promise<KeelProcess> {
  const listenOn = port ?? (await findFreePort());
  const child = spawnProcessGroup(process.execPath, ['packages/cli/src/main.ts', 'start'], {
    label,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'info', KEEL_SEED: 'false', KEEL_REGION: 'local', KEEL_REGION_CREDENTIAL: CREDENTIAL, PORT: String(listenOn), ...env },
  });
  await child.waitForLine(LISTENING);
  const url = `http://127.0.0.1:${listenOn}`;
  return {
    ...child,
    url,
    async api(bearer, method, path, body, cookie) {
      const headers: Record<string, string> = {};
      if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
      if (cookie !== undefined) Object.assign(headers, { cookie, origin: url });
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path.startsWith('/api/') ? path : `/api/v1${path}`}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    },
  };
}

/** SIGTERM to the process group, then its exit; SIGKILL if it is still there after all. */
async function stop(keel: KeelProcess | undefined): Promise<void> {
  if (!keel) return;
  keel.signal('SIGTERM');
  await keel.closed;
  keel.kill();
}

function databaseEnvironment(layer: 'CENTRAL' | 'REGIONAL', urls: DatabaseUrls): Record<string, string> {
  return { [`${layer}_DATABASE_OWNER_URL`]: urls.owner, [`${layer}_DATABASE_APP_URL`]: urls.app, [`${layer}_DATABASE_WORKER_URL`]: urls.worker };
}

/** Signs up through central, creates an organization (on Free) and gets an owner's token for it. */
async function newOwner(): Promise<typeof owner> {
  const email = `owner-${randomUUID()}@keel.test`;
  const signUp = await fetch(`${centralUrl()}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: centralUrl() },
    body: JSON.stringify({ email, password: PASSWORD, name: 'Owner' }),
  });
  expect(signUp.status).toBe(200);
  const cookie = signUp.headers.getSetCookie().find((line) => line.split('=')[0]!.endsWith('session_token'))!.split(';')[0]!;
  const organization = await central!.api(undefined, 'POST', '/api/central/organizations', { name: 'Two Processes', slug: `two-${randomUUID()}`, currency: 'EUR', timezone: 'Europe/Madrid' }, cookie);
  expect(organization.status).toBe(201);
  const organizationId = (organization.body as { id: string }).id;
  const token = await central!.api(undefined, 'POST', '/api/central/tokens', { tenantId: organizationId }, cookie);
  expect(token.status).toBe(200);
  return { cookie, organizationId, bearer: (token.body as { token: string }).token };
}

function createStore(name: string) {
  return region!.api(owner.bearer, 'POST', '/stores', { name });
}

async function usage(): Promise<Record<string, unknown>> {
  const response = await region!.api(owner.bearer, 'GET', '/usage');
  expect(response.status).toBe(200);
  return response.body as Record<string, unknown>;
}

/** What central shows the owner of the region's usage (its last report). */
async function subscriptionUsage(): Promise<Record<string, unknown>> {
  const response = await central!.api(undefined, 'GET', `/api/central/organizations/${owner.organizationId}/subscription`, undefined, owner.cookie);
  expect(response.status).toBe(200);
  return (response.body as { usage: Record<string, unknown> }).usage;
}
