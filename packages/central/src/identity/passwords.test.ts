import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, centralSql, expectError, newEmail, sessionCookie, TEST_PASSWORD, type CentralClient, type User } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';

/** Changing a password, and resetting it by an emailed link, through the composed app over real HTTP. */

const NEW_PASSWORD = 'a brand new passphrase';

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  keel = await startTestKeel();
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-074 changing the password', () => {
  it('TEN-074 with the right current password the new one signs in and the old one no longer does', async () => {
    const user = await client.signUp();
    const changed = await changePassword(user.cookie, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect(await signInStatus(user.email, TEST_PASSWORD)).toBe(401);
    expect(await signInStatus(user.email, NEW_PASSWORD)).toBe(200);
  });

  it.each([
    { change: 'a wrong current password', body: { currentPassword: 'not the password', newPassword: NEW_PASSWORD }, status: 400, code: 'AUTH_CURRENT_PASSWORD_WRONG' },
    { change: 'a new password shorter than 12 characters', body: { currentPassword: TEST_PASSWORD, newPassword: 'elevenchars' }, status: 400, code: 'AUTH_PASSWORD_TOO_WEAK' },
    { change: 'a new password longer than 128 characters', body: { currentPassword: TEST_PASSWORD, newPassword: 'x'.repeat(129) }, status: 400, code: 'AUTH_PASSWORD_TOO_WEAK' },
  ])('TEN-074 $change answers $status $code and the password stays', async ({ body, status, code }) => {
    const user = await client.signUp();
    await expectError(changePassword(user.cookie, body), status, code);
    expect(await signInStatus(user.email, TEST_PASSWORD)).toBe(200);
  });

  it('TEN-074 without a session it answers 401 AUTH_SESSION_MISSING', async () => {
    await expectError(client.auth('/change-password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }), 401, 'AUTH_SESSION_MISSING');
  });

  it('TEN-074 without revokeOtherSessions the other sessions live on', async () => {
    const { user, other } = await userWithTwoSessions();
    expect((await changePassword(user.cookie, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(200);
    expect(await sessionUserId(other.cookie)).toBe(user.userId);
    expect(await sessionUserId(user.cookie)).toBe(user.userId);
  });

  it('TEN-074 with revokeOtherSessions every other session ends, and the caller goes on with the new session cookie of the answer', async () => {
    const { user, other } = await userWithTwoSessions();
    const changed = await changePassword(user.cookie, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true });
    expect(changed.status).toBe(200);
    expect(await sessionUserId(other.cookie)).toBeNull();
    expect(await sessionUserId(sessionCookie(changed)!)).toBe(user.userId);
  });
});

describe('TEN-075 asking for a password reset', () => {
  it('TEN-075 the answer is the same whether or not the email has an account, and only an account gets a link to PUBLIC_URL/reset-password?token=…', async () => {
    const user = await client.signUp();
    const stranger = newEmail();
    const answers = await Promise.all([user.email, stranger].map(async (email) => {
      const response = await client.auth('/request-password-reset', { email });
      return { status: response.status, body: (await response.json()) as unknown };
    }));
    expect(answers[0]).toEqual({ status: 200, body: expect.anything() });
    expect(answers[1]).toEqual(answers[0]);
    expect(resetEmails(user.email)).toEqual([expect.objectContaining({ to: user.email, link: expect.stringMatching(new RegExp(`^${keel.url}/reset-password\\?token=[\\w-]+$`)) })]);
    expect(client.emailsTo(stranger)).toEqual([]);
  });
});

describe('TEN-076 resetting the password with the emailed link', () => {
  it('TEN-076 the link sets the new password and ends every session of the user', async () => {
    const { user, other } = await userWithTwoSessions();
    const token = await requestReset(user.email);
    expect((await resetPassword(token)).status).toBe(200);
    expect(await sessionUserId(user.cookie)).toBeNull();
    expect(await sessionUserId(other.cookie)).toBeNull();
    expect(await signInStatus(user.email, TEST_PASSWORD)).toBe(401);
    expect(await signInStatus(user.email, NEW_PASSWORD)).toBe(200);
  });

  it('TEN-076 a link works once: used again it answers 400 AUTH_RESET_TOKEN_INVALID and changes nothing', async () => {
    const user = await client.signUp();
    const token = await requestReset(user.email);
    expect((await resetPassword(token)).status).toBe(200);
    await expectError(resetPassword(token, 'yet another passphrase'), 400, 'AUTH_RESET_TOKEN_INVALID');
    expect(await signInStatus(user.email, NEW_PASSWORD)).toBe(200);
  });

  it('TEN-076 a link expires an hour after it was asked for: then it answers 400 AUTH_RESET_TOKEN_INVALID and changes nothing', async () => {
    const user = await client.signUp();
    const askedFrom = Date.now();
    const token = await requestReset(user.email);
    const askedUntil = Date.now();
    const [stored] = await centralSql<{ expires_at: Date }>(keel, 'select expires_at from verifications where identifier = $1', [storedIdentifier(token)]);
    expect(stored!.expires_at.getTime()).toBeGreaterThanOrEqual(askedFrom + 3_600_000);
    expect(stored!.expires_at.getTime()).toBeLessThanOrEqual(askedUntil + 3_600_000);
    // better-auth times its tokens by the real clock, not Keel's: the passing of the hour is
    // simulated by moving the stored expiry into the past.
    await centralSql(keel, `update verifications set expires_at = now() - interval '1 second' where identifier = $1`, [storedIdentifier(token)]);
    await expectError(resetPassword(token), 400, 'AUTH_RESET_TOKEN_INVALID');
    expect(await signInStatus(user.email, TEST_PASSWORD)).toBe(200);
  });

  it('TEN-076 an unknown token answers 400 AUTH_RESET_TOKEN_INVALID', async () => {
    await expectError(resetPassword('not-a-token-keel-ever-sent'), 400, 'AUTH_RESET_TOKEN_INVALID');
  });

  it('TEN-076 the token is stored only as its hash: the verifications table never holds it', async () => {
    const user = await client.signUp();
    const token = await requestReset(user.email);
    expect(await centralSql(keel, 'select 1 from verifications where identifier = $1', [storedIdentifier(token)])).toHaveLength(1);
    expect(await centralSql(keel, `select 1 from verifications where strpos(identifier, $1) > 0 or strpos(value, $1) > 0`, [token])).toEqual([]);
  });
});

function changePassword(cookie: string, body: Record<string, unknown>): Promise<Response> {
  return client.auth('/change-password', body, { cookie });
}

async function signInStatus(email: string, password: string): Promise<number> {
  return (await client.auth('/sign-in/email', { email, password })).status;
}

/** The user id of the session the cookie gets, or null when it gets none. */
async function sessionUserId(cookie: string): Promise<string | null> {
  const response = await fetch(`${keel.url}/api/auth/get-session`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { user: { id: string } } | null)?.user.id ?? null;
}

/** A user signed up (one session) and signed in again elsewhere (another). */
async function userWithTwoSessions(): Promise<{ user: User; other: User }> {
  const user = await client.signUp();
  return { user, other: await client.signIn(user.email) };
}

function resetEmails(email: string) {
  return client.emailsTo(email).filter((message) => message.link.startsWith(`${keel.url}/reset-password?`));
}

/** Asks for a reset link and returns its token. */
async function requestReset(email: string): Promise<string> {
  expect((await client.auth('/request-password-reset', { email })).status).toBe(200);
  return new URL(resetEmails(email).at(-1)!.link).searchParams.get('token')!;
}

function resetPassword(token: string, newPassword = NEW_PASSWORD): Promise<Response> {
  return client.auth('/reset-password', { token, newPassword });
}

/** better-auth's key for a reset token (`storeIdentifier: 'hashed'`): SHA-256, base64url. */
function storedIdentifier(token: string): string {
  return createHash('sha256').update(`reset-password:${token}`).digest('base64url');
}
