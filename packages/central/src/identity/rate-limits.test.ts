import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeKeel, type ComposedKeel } from '@keel/cli/compose';
import { ConfigError, loadConfig } from '@keel/kernel';
import { createCapturingLogger, createCapturingReporter } from '../../../../test/support/capture.ts';
import { centralClient, centralSql, newEmail, TEST_PASSWORD, type CentralClient } from '../../../../test/support/central-client.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { runCentralRetention } from '../retention/test/run-central-retention.ts';

/**
 * Keel's own limits on sign-in attempts and emailed-link requests, counted in central's database.
 * Requests come from made-up client addresses (Fastify's inject sets the socket's address), so
 * each test has addresses of its own; time is Keel's manual clock.
 */

const PER_IP = 5;
const IP_WINDOW_MS = 10 * 60_000;
const PER_EMAIL = 3;
const EMAIL_WINDOW_MS = 15 * 60_000;
const WRONG = 'not the password';
const LIMITS = {
  AUTH_RATE_LIMIT_PER_IP: String(PER_IP),
  AUTH_RATE_LIMIT_IP_WINDOW_MS: String(IP_WINDOW_MS),
  AUTH_RATE_LIMIT_PER_EMAIL: String(PER_EMAIL),
  AUTH_RATE_LIMIT_EMAIL_WINDOW_MS: String(EMAIL_WINDOW_MS),
};

const LIMITS_CONFIG = loadConfig({ NODE_ENV: 'test', ...LIMITS }).authRateLimits;

let keel: TestKeel;
let client: CentralClient;

beforeAll(async () => {
  keel = await startTestKeel(LIMITS);
  client = centralClient(keel);
});

afterAll(async () => {
  await keel?.stop();
});

describe('TEN-070 sign-in attempts per client address', () => {
  it('TEN-070 every attempt from one address counts, failed or not; beyond the limit even the right password gets 429 AUTH_RATE_LIMITED with Retry-After, and other addresses are unaffected', async () => {
    const user = await newUser();
    const ip = newIp();
    for (let attempt = 1; attempt < PER_IP; attempt++) expect((await signIn(keel, ip, newEmail())).statusCode).toBe(401);
    expect((await signIn(keel, ip, user.email)).statusCode).toBe(200);
    const refused = await signIn(keel, ip, user.email);
    expectRateLimited(refused, IP_WINDOW_MS / 1000);
    expect((await signIn(keel, newIp(), user.email)).statusCode).toBe(200);
  });

  it('TEN-070 the sign-in path spelled otherwise (dot segments, a query) counts as the same', async () => {
    const ip = newIp();
    const spellings = ['/sign-in/email', '/./sign-in/email', '/sign-in/../sign-in/email', '/sign-in/email?again=1'];
    for (let attempt = 0; attempt < PER_IP; attempt++) expect((await post(keel, ip, spellings[attempt % spellings.length]!, { email: newEmail(), password: TEST_PASSWORD })).statusCode).toBe(401);
    for (const spelling of spellings) expectRateLimited(await post(keel, ip, spelling, { email: newEmail(), password: TEST_PASSWORD }), IP_WINDOW_MS / 1000);
  });
});

describe('TEN-071 failed sign-ins per email', () => {
  it.each([
    { account: 'an email with an account', hasAccount: true },
    { account: 'an email without an account', hasAccount: false },
  ])('TEN-071 failures for $account count from any address; beyond the limit the next attempt gets 429 AUTH_RATE_LIMITED with Retry-After', async ({ hasAccount }) => {
    const email = hasAccount ? (await newUser()).email : newEmail();
    for (let attempt = 0; attempt < PER_EMAIL; attempt++) expect((await signIn(keel, newIp(), email, WRONG)).statusCode).toBe(401);
    expectRateLimited(await signIn(keel, newIp(), email), EMAIL_WINDOW_MS / 1000);
  });

  it.each([
    { spelling: 'in another letter case', type: 'application/json', body: (email: string) => JSON.stringify({ email: email.toUpperCase(), password: WRONG }) },
    { spelling: 'in a form', type: 'application/x-www-form-urlencoded', body: (email: string) => new URLSearchParams([['email', email], ['password', WRONG]]).toString() },
    { spelling: 'last of a repeated form field', type: 'application/x-www-form-urlencoded', body: (email: string) => new URLSearchParams([['email', newEmail()], ['email', email], ['password', WRONG]]).toString() },
    { spelling: 'after a byte order mark', type: 'application/json; charset=utf-8', body: (email: string) => `\uFEFF${JSON.stringify({ email, password: WRONG })}` },
  ])('TEN-071 the email counted is the one better-auth checks: a failure with the email $spelling counts', async ({ type, body }) => {
    const user = await newUser();
    await failSignIns(user.email, PER_EMAIL - 1);
    expect((await send(keel, newIp(), '/sign-in/email', body(user.email), type)).statusCode).toBe(401);
    expectRateLimited(await signIn(keel, newIp(), user.email), EMAIL_WINDOW_MS / 1000);
  });

  it('TEN-071 a sign-in without a readable email answers 400 VALIDATION_FAILED', async () => {
    const response = await send(keel, newIp(), '/sign-in/email', '{"password":');
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 400, body: { code: 'VALIDATION_FAILED', requestId: expect.any(String), details: [{ path: 'body.email', rule: 'required' }] } });
  });

  it('TEN-071 over the limit the password is not even checked: the right password is refused too, with no session cookie', async () => {
    const user = await newUser();
    await failSignIns(user.email, PER_EMAIL);
    const refused = await signIn(keel, newIp(), user.email);
    expectRateLimited(refused, EMAIL_WINDOW_MS / 1000);
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('TEN-071 a successful sign-in resets the count of its email', async () => {
    const user = await newUser();
    await failSignIns(user.email, PER_EMAIL - 1);
    expect((await signIn(keel, newIp(), user.email)).statusCode).toBe(200);
    await failSignIns(user.email, PER_EMAIL);
    expectRateLimited(await signIn(keel, newIp(), user.email), EMAIL_WINDOW_MS / 1000);
  });
});

describe('TEN-072 counters in the database, in fixed windows', () => {
  it('TEN-072 Retry-After is the time left in the window, and once the window has passed attempts are accepted again', async () => {
    const user = await newUser();
    await failSignIns(user.email, PER_EMAIL);
    keel.clock.advance(5 * 60_000);
    expectRateLimited(await signIn(keel, newIp(), user.email), EMAIL_WINDOW_MS / 1000 - 5 * 60);
    keel.clock.advance(EMAIL_WINDOW_MS - 5 * 60_000 - 1_000);
    expectRateLimited(await signIn(keel, newIp(), user.email), 1);
    keel.clock.advance(1_000);
    expect((await signIn(keel, newIp(), user.email)).statusCode).toBe(200);
  });

  it('TEN-072 simultaneous attempts are counted atomically: exactly the limit get their password checked', async () => {
    const email = (await newUser()).email;
    const answers = await Promise.all(Array.from({ length: PER_EMAIL + 5 }, () => signIn(keel, newIp(), email, WRONG)));
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(PER_EMAIL).fill(401), ...Array<number>(5).fill(429)]);
  });

  it('TEN-072 the limit holds across central instances sharing the database', async () => {
    const other = await startCentralInstance(keel);
    try {
      const user = await newUser();
      const ip = newIp();
      const instances = [keel, other];
      for (let attempt = 0; attempt < PER_IP; attempt++) expect((await signIn(instances[attempt % 2]!, ip, newEmail())).statusCode).toBe(401);
      for (const instance of instances) expectRateLimited(await signIn(instance, ip, user.email), IP_WINDOW_MS / 1000);
    } finally {
      await other.close();
    }
  });

  it('TEN-072 counters whose window has ended are deleted by central\'s retention job, so the table does not keep every address and email', async () => {
    const email = newEmail();
    const ip = newIp();
    expect((await signIn(keel, ip, email)).statusCode).toBe(401);
    expect(await counters(email, ip)).toHaveLength(2);
    keel.clock.advance(Math.max(IP_WINDOW_MS, EMAIL_WINDOW_MS) + 1);
    await runCentralRetention(keel, LIMITS_CONFIG);
    expect(await counters(email, ip)).toEqual([]);
  });
});

describe('TEN-073 requests that mail a link', () => {
  it.each([
    { request: 'password reset', path: '/request-password-reset' },
    { request: 'verification email', path: '/send-verification-email' },
  ])('TEN-073 every $request request for one email counts: beyond the limit 429 AUTH_RATE_LIMITED and no more mail', async ({ path }) => {
    const user = await newUser();
    const mailsBefore = client.emailsTo(user.email).length;
    // An emailed link is a reset or a verification: both count against the same limit.
    expect((await post(keel, newIp(), path === '/request-password-reset' ? '/send-verification-email' : '/request-password-reset', { email: user.email })).statusCode).toBe(200);
    for (let request = 1; request < PER_EMAIL; request++) expect((await post(keel, newIp(), path, { email: user.email })).statusCode).toBe(200);
    expectRateLimited(await post(keel, newIp(), path, { email: user.email }), EMAIL_WINDOW_MS / 1000);
    expect(client.emailsTo(user.email)).toHaveLength(mailsBefore + PER_EMAIL);
  });

  it('TEN-073 every password reset request from one address counts, whatever the email', async () => {
    const ip = newIp();
    for (let request = 0; request < PER_IP; request++) expect((await post(keel, ip, '/request-password-reset', { email: newEmail() })).statusCode).toBe(200);
    expectRateLimited(await post(keel, ip, '/request-password-reset', { email: newEmail() }), IP_WINDOW_MS / 1000);
  });
});

describe('TEN-082 sign-ups and password checks count too', () => {
  it('TEN-082 every sign-up from one address counts, taken emails included: beyond the limit 429 AUTH_RATE_LIMITED', async () => {
    const ip = newIp();
    const taken = (await newUser()).email;
    for (let request = 0; request < PER_IP; request++) expect((await post(keel, ip, '/sign-up/email', { email: request === 0 ? taken : newEmail(), password: TEST_PASSWORD, name: 'Sign-up' })).statusCode).not.toBe(429);
    expectRateLimited(await post(keel, ip, '/sign-up/email', { email: newEmail(), password: TEST_PASSWORD, name: 'Sign-up' }), IP_WINDOW_MS / 1000);
  });

  it('TEN-082 every password change from one address counts: a stolen session cannot guess the password without limit', async () => {
    const ip = newIp();
    const user = await newUser();
    const change = () => keel.app.inject({ method: 'POST', url: '/api/auth/change-password', remoteAddress: ip, headers: { 'content-type': 'application/json', origin: keel.url, cookie: user.cookie }, payload: { currentPassword: WRONG, newPassword: 'another good password' } });
    for (let request = 0; request < PER_IP; request++) expect((await change()).statusCode).toBe(400);
    expectRateLimited(await change(), IP_WINDOW_MS / 1000);
  });

  it.each(['/verify-password', '/delete-user', '/update-user', '/list-accounts'])('TEN-082 better-auth\'s %s, which Keel does not use, answers 404 ROUTE_NOT_FOUND', async (path) => {
    const user = await newUser();
    const response = await keel.app.inject({ method: 'POST', url: `/api/auth${path}`, headers: { 'content-type': 'application/json', origin: keel.url, cookie: user.cookie }, payload: { password: WRONG } });
    expect({ status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });
});

describe('TEN-083 invitation emails count too', () => {
  it('TEN-083 invitations to one email count per email, all of an organization\'s per organization: beyond either 429 AUTH_RATE_LIMITED, nothing mailed', async () => {
    const owner = await newUser();
    const organization = await client.createOrganization(owner.cookie);
    const invite = (email: string) => client.central('POST', `/organizations/${organization.id}/invitations`, { cookie: owner.cookie, body: { email, role: 'member' } });
    const again = newEmail();
    for (let invitation = 0; invitation < PER_EMAIL; invitation++) expect((await invite(again)).status).toBe(201);
    expect((await invite(again)).status).toBe(429);
    expect(client.emailsTo(again)).toHaveLength(PER_EMAIL);
    // The organization's count includes the refused one: PER_IP in all.
    for (let invitation = PER_EMAIL + 1; invitation < PER_IP; invitation++) expect((await invite(newEmail())).status).toBe(201);
    const refused = newEmail();
    expect((await invite(refused)).status).toBe(429);
    expect(client.emailsTo(refused)).toEqual([]);
  });
});

describe('PLT-010 the sign-in limits are configuration', () => {
  it('PLT-010 by default 30 attempts per address in 10 minutes and 10 failed sign-ins per email in 15 minutes', () => {
    expect(loadConfig({}).authRateLimits).toEqual({ perIp: { max: 30, windowMs: 600_000 }, perEmail: { max: 10, windowMs: 900_000 } });
  });

  it.each([
    ['AUTH_RATE_LIMIT_PER_IP', '0'],
    ['AUTH_RATE_LIMIT_PER_EMAIL', 'ten'],
    ['AUTH_RATE_LIMIT_IP_WINDOW_MS', '999'],
    ['AUTH_RATE_LIMIT_EMAIL_WINDOW_MS', '-1'],
  ])('PLT-010 an invalid %s stops start-up naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

let lastIp = 0;

/** A client address of its own (TEST-NET-3, documentation addresses). */
/** A new account, signed up from an address of its own (so sign-ups never use up a tested address's count). */
async function newUser(): Promise<{ email: string; cookie: string }> {
  const email = newEmail();
  const response = await post(keel, newIp(), '/sign-up/email', { email, password: TEST_PASSWORD, name: 'Test User' });
  expect(response.statusCode).toBe(200);
  const cookie = [response.headers['set-cookie']].flat().find((line) => line?.split('=')[0]!.endsWith('session_token'))!.split(';')[0]!;
  return { email, cookie };
}

function newIp(): string {
  lastIp += 1;
  return `203.0.${113 + Math.floor(lastIp / 250)}.${lastIp % 250}`;
}

type Injected = Awaited<ReturnType<TestKeel['app']['inject']>>;

/** A POST to `/api/auth` from `ip`, with the Origin of Keel's page (inject: no socket, any address). */
function send(target: Pick<TestKeel, 'app' | 'url'>, ip: string, path: string, payload: string, contentType = 'application/json'): Promise<Injected> {
  return target.app.inject({ method: 'POST', url: `/api/auth${path}`, remoteAddress: ip, headers: { 'content-type': contentType, origin: target.url }, payload });
}

function post(target: Pick<TestKeel, 'app' | 'url'>, ip: string, path: string, body: unknown): Promise<Injected> {
  return send(target, ip, path, JSON.stringify(body));
}

function signIn(target: Pick<TestKeel, 'app' | 'url'>, ip: string, email: string, password = TEST_PASSWORD): Promise<Injected> {
  return post(target, ip, '/sign-in/email', { email, password });
}

async function failSignIns(email: string, times: number): Promise<void> {
  for (let attempt = 0; attempt < times; attempt++) expect((await signIn(keel, newIp(), email, WRONG)).statusCode).toBe(401);
}

function expectRateLimited(response: Injected, retryAfterSeconds: number): void {
  expect({ status: response.statusCode, retryAfter: response.headers['retry-after'], body: response.json() }).toEqual({
    status: 429,
    retryAfter: String(retryAfterSeconds),
    body: { code: 'AUTH_RATE_LIMITED', requestId: expect.any(String) },
  });
}

function counters(email: string, ip: string): Promise<Record<string, unknown>[]> {
  return centralSql(keel, 'select key from auth_rate_limits where key in ($1, $2)', [`sign-in:email:${email}`, `sign-in:ip:${ip}`]);
}

/** A second central instance (KEEL_ROLE=central) on the same central database and clock. */
async function startCentralInstance(first: TestKeel): Promise<ComposedKeel & { url: string }> {
  const { logger } = createCapturingLogger();
  const { reporter } = createCapturingReporter();
  const config = loadConfig({ NODE_ENV: 'test', KEEL_ROLE: 'central', KEEL_SEED: 'false', ...LIMITS });
  const instance = await composeKeel({ config, logger, reporter, clock: first.clock, centralDatabase: first.databases.central });
  const url = await instance.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...instance, url };
}
