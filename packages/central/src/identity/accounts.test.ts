import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/** Accounts with better-auth at `/api/auth`, through the composed app over real HTTP. */

const PASSWORD = 'correct horse battery';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let keel: TestKeel;

beforeAll(async () => {
  keel = await startTestKeel();
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-019 the session cookie', () => {
  it('TEN-019 signing up sets an HttpOnly, SameSite=Lax session cookie without Secure over http, for a user with a UUID id', async () => {
    const response = await signUp(keel, newEmail(), PASSWORD);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: { id: string } }).user.id).toMatch(UUID);
    const attributes = sessionCookieAttributes(response);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).not.toContain('secure');
  });

  it('TEN-019 with an https PUBLIC_URL the session cookie is Secure too', async () => {
    const secure = await startTestKeel({ PUBLIC_URL: 'https://keel.test' });
    try {
      const response = await signUp(secure, newEmail(), PASSWORD, 'https://keel.test');
      expect(response.status).toBe(200);
      expect(sessionCookieAttributes(response)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure']));
    } finally {
      await secure.stop();
    }
  });
});

describe('TEN-020 wrong credentials', () => {
  it('TEN-020 a wrong password and an unknown email get the same 401 AUTH_INVALID_CREDENTIALS', async () => {
    const email = newEmail();
    await signUp(keel, email, PASSWORD);
    const wrongPassword = await signIn(keel, email, `${PASSWORD} not`);
    const unknownEmail = await signIn(keel, newEmail(), PASSWORD);
    const bodies = await Promise.all([wrongPassword, unknownEmail].map(async (response) => ({ status: response.status, cookie: response.headers.getSetCookie(), body: (await response.json()) as Record<string, unknown> })));
    for (const answer of bodies) {
      expect(answer).toEqual({ status: 401, cookie: [], body: { code: 'AUTH_INVALID_CREDENTIALS', requestId: expect.any(String) } });
    }
    expect(bodies[0]!.body.requestId).not.toBe(bodies[1]!.body.requestId);
  });

  it('TEN-020 the right password signs in', async () => {
    const email = newEmail();
    await signUp(keel, email, PASSWORD);
    const response = await signIn(keel, email, PASSWORD);
    expect(response.status).toBe(200);
    expect(sessionCookie(response)).toBeDefined();
  });
});

describe('TEN-021 password rule', () => {
  it.each([
    { rule: 'shorter than 12 characters', password: 'elevenchars' },
    { rule: 'longer than 128 characters', password: 'x'.repeat(129) },
  ])('TEN-021 a password $rule is refused with 400 AUTH_PASSWORD_TOO_WEAK and no account', async ({ password }) => {
    const email = newEmail();
    await expectError(signUp(keel, email, password), 400, 'AUTH_PASSWORD_TOO_WEAK');
    await expectError(signIn(keel, email, password), 401, 'AUTH_INVALID_CREDENTIALS');
    expect((await signUp(keel, email, PASSWORD)).status).toBe(200);
  });

  it('TEN-021 a password of exactly 12 characters is accepted', async () => {
    expect((await signUp(keel, newEmail(), 'twelve chars')).status).toBe(200);
  });
});

describe('TEN-022 one account per email', () => {
  it('TEN-022 signing up again with a taken email, in any case, answers 409 AUTH_EMAIL_TAKEN', async () => {
    const email = newEmail();
    await signUp(keel, email, PASSWORD);
    await expectError(signUp(keel, email.toUpperCase(), `${PASSWORD} 2`), 409, 'AUTH_EMAIL_TAKEN');
  });
});

describe('TEN-023 signing out', () => {
  it('TEN-023 signing out ends the session on the server: the old cookie no longer gets it', async () => {
    const cookie = sessionCookie(await signUp(keel, newEmail(), PASSWORD))!;
    expect(await getSession(keel, cookie)).toMatchObject({ user: { id: expect.stringMatching(UUID) } });
    const signedOut = await fetch(`${keel.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin: keel.url } });
    expect(signedOut.status).toBe(200);
    expect(await getSession(keel, cookie)).toBeNull();
  });
});

describe('TEN-024 cookie-authenticated writes only from our own origin', () => {
  it.each([
    ['another origin', { origin: 'https://evil.example' }],
    ['no origin at all', {}],
  ])('TEN-024 refuses a sign-out from %s with 403 AUTH_ORIGIN_REFUSED, and the session lives on', async (_case, origin: Record<string, string>) => {
    const cookie = sessionCookie(await signUp(keel, newEmail(), PASSWORD))!;
    await expectError(fetch(`${keel.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, ...origin } }), 403, 'AUTH_ORIGIN_REFUSED');
    expect(await getSession(keel, cookie)).toMatchObject({ user: { id: expect.stringMatching(UUID) } });
  });
});

describe('TEN-011 a session cookie is not a credential for /api/v1', () => {
  it('TEN-011 a real session cookie sent to /api/v1/stores answers 401 AUTH_TOKEN_MISSING', async () => {
    const cookie = sessionCookie(await signUp(keel, newEmail(), PASSWORD))!;
    await expectError(fetch(`${keel.url}/api/v1/stores`, { headers: { cookie } }), 401, 'AUTH_TOKEN_MISSING');
  });
});

function newEmail(): string {
  return `user-${randomUUID()}@keel.test`;
}

/** A POST with the Origin a browser on Keel's page sends (Node's fetch sends Fetch Metadata but no Origin). */
function post(target: TestKeel, path: string, body: unknown, origin = target.url): Promise<Response> {
  return fetch(`${target.url}/api/auth${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
}

function signUp(target: TestKeel, email: string, password: string, origin?: string): Promise<Response> {
  return post(target, '/sign-up/email', { email, password, name: 'Test User' }, origin);
}

function signIn(target: TestKeel, email: string, password: string): Promise<Response> {
  return post(target, '/sign-in/email', { email, password });
}

async function getSession(target: TestKeel, cookie: string): Promise<unknown> {
  const response = await fetch(`${target.url}/api/auth/get-session`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return response.json();
}

/** The `name=value` of the session cookie a response sets. */
function sessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.split('=')[0]!.endsWith('session_token'))?.split(';')[0];
}

function sessionCookieAttributes(response: Response): string[] {
  const cookie = response.headers.getSetCookie().find((line) => line.split('=')[0]!.endsWith('session_token'));
  expect(cookie).toBeDefined();
  return cookie!.split(';').slice(1).map((attribute) => attribute.trim().toLowerCase());
}

async function expectError(pending: Promise<Response>, status: number, code: string): Promise<void> {
  const response = await pending;
  expect({ status: response.status, body: await response.json() }).toEqual({ status, body: { code, requestId: expect.any(String) } });
}
