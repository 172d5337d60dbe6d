import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, centralSql, expectError, type CentralClient } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/** Email verification, the list of one's sessions, and better-auth's OpenAPI document, over real HTTP. */

interface SessionItem {
  id: string;
  token: string;
  userId: string;
}

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '' });
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-077 verifying the email', () => {
  it('TEN-077 signing up mails a link to /api/auth/verify-email?token=…; opening it marks the email verified', async () => {
    const user = await client.signUp();
    const [message] = client.emailsTo(user.email);
    expect(message).toEqual(expect.objectContaining({ to: user.email, link: expect.stringMatching(new RegExp(`^${keel.url}/api/auth/verify-email\\?token=`)) }));
    expect(await emailVerified(user.cookie)).toBe(false);
    const opened = await fetch(message!.link, { redirect: 'manual' });
    expect(opened.status).toBeLessThan(400);
    expect(await emailVerified(user.cookie)).toBe(true);
  });

  it('TEN-077 a link with an invalid token answers 400 AUTH_VERIFICATION_TOKEN_INVALID', async () => {
    await expectError(fetch(`${keel.url}/api/auth/verify-email?token=not-a-token`), 400, 'AUTH_VERIFICATION_TOKEN_INVALID');
  });
});

describe('TEN-078 accounts work unverified', () => {
  it('TEN-078 a user who never opened the link signs in, creates an organization and gets a token for it', async () => {
    const user = await client.signUp();
    const signedIn = await client.signIn(user.email);
    expect(await emailVerified(signedIn.cookie)).toBe(false);
    const organization = await client.createOrganization(signedIn.cookie);
    expect((await client.tokenFor(signedIn.cookie, organization.id)).status).toBe(200);
  });
});

describe('TEN-079 listing my sessions', () => {
  it("TEN-079 lists the user's own active sessions, and no one else's", async () => {
    const user = await client.signUp();
    const again = await client.signIn(user.email);
    const stranger = await client.signUp();
    const sessions = await listSessions(again.cookie);
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions.map((session) => session.userId))).toEqual(new Set([user.userId]));
    expect(sessions.map((session) => session.userId)).not.toContain(stranger.userId);
  });

  it('TEN-079 without a session it answers 401 AUTH_SESSION_MISSING', async () => {
    await expectError(fetch(`${keel.url}/api/auth/list-sessions`), 401, 'AUTH_SESSION_MISSING');
  });

  it('TEN-079 a session older than a day must sign in again to list: 403 AUTH_SESSION_NOT_FRESH', async () => {
    const user = await client.signUp();
    // better-auth times sessions by the real clock: a day passing is simulated in the database.
    await centralSql(keel, `update sessions set created_at = now() - interval '2 days' where user_id = $1`, [user.userId]);
    await expectError(fetch(`${keel.url}/api/auth/list-sessions`, { headers: { cookie: user.cookie } }), 403, 'AUTH_SESSION_NOT_FRESH');
  });
});

describe('TEN-080 revoking a session', () => {
  it('TEN-080 a revoked session ends on the server: its cookie no longer gets the session, the others live on', async () => {
    const user = await client.signUp();
    const laptop = await client.signIn(user.email);
    const sessions = await listSessions(user.cookie);
    const laptopSession = sessions.find((session) => session.token === laptop.cookie.split('=')[1]!.split('.')[0]);
    expect(laptopSession).toBeDefined();
    expect((await client.auth('/revoke-session', { token: laptopSession!.token }, { cookie: user.cookie })).status).toBe(200);
    expect(await sessionOf(laptop.cookie)).toBeNull();
    expect(await sessionOf(user.cookie)).toMatchObject({ user: { id: user.userId } });
    expect((await listSessions(user.cookie)).map((session) => session.id)).toEqual(sessions.filter((session) => session !== laptopSession).map((session) => session.id));
  });

  it("TEN-080 another user's session is never revoked", async () => {
    const user = await client.signUp();
    const stranger = await client.signUp();
    const [strangerSession] = await listSessions(stranger.cookie);
    await client.auth('/revoke-session', { token: strangerSession!.token }, { cookie: user.cookie });
    expect(await sessionOf(stranger.cookie)).toMatchObject({ user: { id: stranger.userId } });
  });
});

describe('TEN-081 better-auth documents its routes', () => {
  it('TEN-081 GET /api/auth/open-api/generate-schema answers an OpenAPI document in JSON that documents signing in', async () => {
    const response = await fetch(`${keel.url}/api/auth/open-api/generate-schema`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as { openapi: string; paths: Record<string, { post?: unknown }> };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.paths['/sign-in/email']?.post).toBeDefined();
    expect(document.paths['/change-password']?.post).toBeDefined();
  });
});

async function sessionOf(cookie: string): Promise<unknown> {
  const response = await fetch(`${keel.url}/api/auth/get-session`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return response.json();
}

async function emailVerified(cookie: string): Promise<boolean> {
  return ((await sessionOf(cookie)) as { user: { emailVerified: boolean } }).user.emailVerified;
}

async function listSessions(cookie: string): Promise<SessionItem[]> {
  const response = await fetch(`${keel.url}/api/auth/list-sessions`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as SessionItem[];
}
