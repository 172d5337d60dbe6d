import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestKeel } from './keel.ts';
import { waitUntil } from './queue-driver-contract.ts';

/**
 * A browser's and an API client's view of a running Keel, over real HTTP: accounts at `/api/auth`,
 * central at `/api/central` (cookie sessions, with the Origin a page of Keel's sends on writes),
 * tenant data at `/api/v1` (bearer tokens), and the emails the development mailer logged.
 */

export const TEST_PASSWORD = 'correct horse battery';

export interface Organization {
  id: string;
  name: string;
  slug: string;
  region: string;
  currency: string;
  timezone: string;
  role: string;
  createdAt: string;
}

export interface User {
  userId: string;
  email: string;
  cookie: string;
}

export interface Owner extends User {
  organization: Organization;
}

export interface LoggedEmail {
  to: string;
  subject: string;
  text: string;
  link: string;
}

export type CentralClient = ReturnType<typeof centralClient>;

export function centralClient(keel: Pick<TestKeel, 'url' | 'logs'>) {
  /** A request to `/api/central`; writes carry Keel's own Origin unless `origin` is given (undefined: none). */
  function central(method: string, path: string, options: { cookie?: string | undefined; body?: unknown; origin?: string | undefined; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const origin = 'origin' in options ? options.origin : method === 'GET' ? undefined : keel.url;
    if (origin !== undefined) headers.origin = origin;
    return fetch(`${keel.url}/api/central${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  }

  /** A POST to better-auth at `/api/auth` (Node's fetch sends no Origin: it is set like a browser's). */
  function auth(path: string, body: unknown, options: { cookie?: string; origin?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json', origin: options.origin ?? keel.url };
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    return fetch(`${keel.url}/api/auth${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  async function signUp(email = newEmail(), password = TEST_PASSWORD): Promise<User> {
    const response = await auth('/sign-up/email', { email, password, name: 'Test User' });
    expect(response.status).toBe(200);
    return { userId: ((await response.json()) as { user: { id: string } }).user.id, email, cookie: sessionCookie(response)! };
  }

  async function signIn(email: string, password = TEST_PASSWORD): Promise<User> {
    const response = await auth('/sign-in/email', { email, password });
    expect(response.status).toBe(200);
    return { userId: ((await response.json()) as { user: { id: string } }).user.id, email, cookie: sessionCookie(response)! };
  }

  async function createOrganization(cookie: string, overrides: Record<string, string> = {}): Promise<Organization> {
    const response = await central('POST', '/organizations', { cookie, body: organizationBody(overrides) });
    expect(response.status).toBe(201);
    return (await response.json()) as Organization;
  }

  /** A new user who owns a new organization. */
  async function newOwner(overrides: Record<string, string> = {}): Promise<Owner> {
    const user = await signUp();
    return { ...user, organization: await createOrganization(user.cookie, overrides) };
  }

  async function myOrganizations(cookie: string): Promise<Organization[]> {
    const response = await central('GET', '/organizations', { cookie });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Organization[] }).items;
  }

  function tokenFor(cookie: string, tenantId: string): Promise<Response> {
    return central('POST', '/tokens', { cookie, body: { tenantId } });
  }

  /** An access token for the user in the tenant (asserting central grants it). */
  async function token(user: Pick<User, 'cookie'>, tenantId: string): Promise<string> {
    const response = await tokenFor(user.cookie, tenantId);
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  /** A request to `/api/v1` with a bearer token. */
  function api(bearer: string, method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${keel.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** Until the region has applied `tenant.created` from central's feed, creating a store answers 503 TENANT_PROVISIONING. */
  async function createStoreOnceProvisioned(bearer: string, name: string): Promise<{ id: string }> {
    let created: { id: string } | undefined;
    await waitUntil(async () => {
      const response = await api(bearer, 'POST', '/stores', { name });
      if (response.status === 503) {
        expect(((await response.json()) as { code: string }).code).toBe('TENANT_PROVISIONING');
        return false;
      }
      expect(response.status).toBe(201);
      created = (await response.json()) as { id: string };
      return true;
    });
    return created!;
  }

  async function storeNames(bearer: string): Promise<string[]> {
    const response = await api(bearer, 'GET', '/stores');
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: { name: string }[] }).items.map((store) => store.name);
  }

  /** The messages the development mailer logged to `address`, oldest first. */
  function emailsTo(address: string): LoggedEmail[] {
    return keel.logs.flatMap((line) => {
      const email = line.email as LoggedEmail | undefined;
      return email !== undefined && email.to === address.toLowerCase() ? [email] : [];
    });
  }

  return { central, auth, signUp, signIn, createOrganization, newOwner, myOrganizations, tokenFor, token, api, createStoreOnceProvisioned, storeNames, emailsTo };
}

export function newEmail(): string {
  return `user-${randomUUID()}@keel.test`;
}

export function organizationBody(overrides: Record<string, string> = {}): Record<string, string> {
  return { name: 'Test Org', slug: `org-${randomUUID()}`, currency: 'USD', timezone: 'America/New_York', ...overrides };
}

/** The `name=value` of the session cookie a response sets. */
export function sessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.split('=')[0]!.endsWith('session_token'))?.split(';')[0];
}

/** The response is Keel's error body with this status and code (and `details` on these paths, when given). */
export async function expectError(response: Response | Promise<Response>, status: number, code: string, paths?: string[]): Promise<void> {
  const settled = await response;
  const body = (await settled.json()) as { code: string; details?: { path: string }[] };
  expect({ status: settled.status, body }).toEqual({ status, body: { code, requestId: expect.any(String), ...(paths ? { details: expect.any(Array) } : {}) } });
  if (paths) expect(body.details?.map((detail) => detail.path)).toEqual(paths);
}

export interface CreatedApiKey {
  id: string;
  name: string;
  role: string;
  prefix: string;
  /** Shown in this answer only. */
  key: string;
  createdAt: string;
}

/** An API key of the organization, created by `cookie`'s user (asserting central creates it). */
export async function createApiKey(client: CentralClient, cookie: string, organizationId: string, body: Record<string, unknown> = { name: 'Test key' }): Promise<CreatedApiKey> {
  const response = await client.central('POST', `/organizations/${organizationId}/api-keys`, { cookie, body });
  expect(response.status).toBe(201);
  return (await response.json()) as CreatedApiKey;
}

/** `POST /api/central/tokens` as an API client: `Authorization: Bearer <key>`, no cookie. */
export function tokenForApiKey(client: CentralClient, key: string, body?: unknown): Promise<Response> {
  return client.central('POST', '/tokens', { headers: { authorization: `Bearer ${key}` }, body });
}

/** The token of the latest invitation emailed to `address` (other emails, such as a sign-up's, are skipped). */
export function invitationToken(client: CentralClient, address: string): string {
  const links = client.emailsTo(address).map((email) => new URL(email.link)).filter((link) => link.pathname === '/invitations/accept');
  expect(links.length).toBeGreaterThan(0);
  return links.at(-1)!.searchParams.get('token')!;
}

/** A new user who joined `owner`'s organization with `role`: invited there, signed up with the invited email, accepted (asserting each step). */
export async function addMember(client: CentralClient, owner: Pick<Owner, 'cookie' | 'organization'>, role: 'owner' | 'admin' | 'member'): Promise<User> {
  const email = newEmail();
  const invited = await client.central('POST', `/organizations/${owner.organization.id}/invitations`, { cookie: owner.cookie, body: { email, role } });
  expect(invited.status).toBe(201);
  const user = await client.signUp(email);
  const accepted = await client.central('POST', '/invitations/accept', { cookie: user.cookie, body: { token: invitationToken(client, email) } });
  expect(accepted.status).toBe(200);
  return user;
}

/** One statement on central's database as its owner role: test setup and inspection of what no endpoint offers. */
export async function centralSql<Row extends Record<string, unknown> = Record<string, unknown>>(keel: Pick<TestKeel, 'databases'>, text: string, params: unknown[] = []): Promise<Row[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: keel.databases.central.owner });
  await client.connect();
  try {
    return (await client.query<Row>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** `POST /api/central/organizations/:organizationId/subscription/<change>` as `cookie`'s user (`plan` for upgrade and downgrade). */
export function changeSubscription(client: CentralClient, cookie: string, organizationId: string, change: 'upgrade' | 'downgrade' | 'cancel' | 'resume', plan?: string): Promise<Response> {
  return client.central('POST', `/organizations/${organizationId}/subscription/${change}`, { cookie, body: plan === undefined ? undefined : { plan } });
}

/** Upgrades the owner's organization (asserting central does): for tests that need more members or API keys than Free allows. */
export async function upgradePlan(client: CentralClient, owner: Pick<Owner, 'cookie' | 'organization'>, plan: 'pro' | 'platinum'): Promise<void> {
  expect((await changeSubscription(client, owner.cookie, owner.organization.id, 'upgrade', plan)).status).toBe(200);
}

export interface SubscriptionView {
  plan: string;
  status: string;
  revision: number;
  currentPeriodStart: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pendingPlan: string | null;
  [field: string]: unknown;
}

/** `GET …/subscription` as the owner (asserting central answers it). */
export async function subscriptionOf(client: CentralClient, owner: Pick<Owner, 'cookie' | 'organization'>): Promise<SubscriptionView> {
  const response = await client.central('GET', `/organizations/${owner.organization.id}/subscription`, { cookie: owner.cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as SubscriptionView;
}

/** The payloads of the organization's `tenant.plan_changed` events on central's feed, in feed order. */
export async function planEventsOf(keel: Pick<TestKeel, 'databases'>, organizationId: string): Promise<{ plan: string; access: string; revision: number; changedAt: string; [field: string]: unknown }[]> {
  const rows = await centralSql<{ payload: { plan: string; access: string; revision: number; changedAt: string } }>(
    keel,
    "select payload from feed_events where tenant_id = $1 and type = 'tenant.plan_changed' order by position",
    [organizationId],
  );
  return rows.map((row) => row.payload);
}

/** The organization's `subscription.*` audit entries in the order they happened (`actor`: the user, null for a period end). */
export function subscriptionAuditOf(keel: Pick<TestKeel, 'databases'>, organizationId: string): Promise<{ action: string; actor: string | null; details: Record<string, unknown> }[]> {
  return centralSql(keel, "select action, actor_user_id as actor, details from audit_events where organization_id = $1 and action like 'subscription.%' order by occurred_at, (details->>'revision')::int", [
    organizationId,
  ]);
}

/**
 * Upgrades the owner's organization and waits until its home region enforces the plan (the
 * owner's `GET /api/v1/usage`): for tests that need more stores or orders than Free allows.
 */
export async function upgradePlanInRegion(client: CentralClient, owner: Pick<Owner, 'cookie' | 'organization'>, plan: 'pro' | 'platinum'): Promise<void> {
  await upgradePlan(client, owner, plan);
  await waitUntil(async () => {
    const response = await client.api(await client.token(owner, owner.organization.id), 'GET', '/usage');
    return response.status === 200 && ((await response.json()) as { plan: string }).plan === plan;
  });
}
