import { eq, sql } from 'drizzle-orm';
import { DEFAULT_AUTH_RATE_LIMITS, ValidationFailedError, type AuthRateLimit, type AuthRateLimits, type Clock, type Database } from '@keel/kernel';
import { AuthRateLimitedError } from './errors.ts';
import { authRateLimits } from './rate-limit-schema.ts';

export type { AuthRateLimits };

/** What an `/api/auth` request counts against before better-auth sees it. */
export interface LimitedAttempt {
  /**
   * `sign-in`: a password check by email; `sign-up`: an account creation (which tells whether an
   * email is taken); `email-link`: a request that mails a link (reset, verification);
   * `password-check`: a check of the signed-in user's password (change-password), counted per
   * address only — its body has no email.
   */
  kind: 'sign-in' | 'sign-up' | 'email-link' | 'password-check';
  ip: string;
  /** Lower-cased, as better-auth looks it up; undefined when the body has none. */
  email: string | undefined;
}

/**
 * Fixed-window counters in `auth_rate_limits`, so a limit holds across every central instance.
 * Each attempt is counted by one atomic upsert that also restarts a window that has ended, and
 * time comes from the composed clock. An email's sign-in counter is taken before the password is
 * checked and cleared by a successful sign-in: what remains counted are the failures (and the
 * attempts still running), and over the limit the password is not even checked. Counters whose
 * window has ended are deleted by central's retention job (auth-rate-limits-retention.ts).
 */
export function createAuthRateLimiter(database: Database, clock: Clock, limits: AuthRateLimits = DEFAULT_AUTH_RATE_LIMITS) {
  /** Counts one attempt against `key`; over the limit, the seconds until its window ends. */
  async function consume(key: string, limit: AuthRateLimit): Promise<number | undefined> {
    const now = clock.now();
    const windowEndedBefore = new Date(now.getTime() - limit.windowMs);
    const restart = sql`${authRateLimits.windowStartedAt} <= ${windowEndedBefore.toISOString()}::timestamptz`;
    const [row] = await database
      .insert(authRateLimits)
      .values({ key, windowStartedAt: now, attempts: 1 })
      .onConflictDoUpdate({
        target: authRateLimits.key,
        set: {
          windowStartedAt: sql`case when ${restart} then excluded.window_started_at else ${authRateLimits.windowStartedAt} end`,
          attempts: sql`case when ${restart} then 1 else ${authRateLimits.attempts} + 1 end`,
        },
      })
      .returning({ windowStartedAt: authRateLimits.windowStartedAt, attempts: authRateLimits.attempts });
    if (row!.attempts <= limit.max) return undefined;
    const leftMs = row!.windowStartedAt.getTime() + limit.windowMs - now.getTime();
    return Math.min(Math.max(Math.ceil(leftMs / 1000), 1), Math.ceil(limit.windowMs / 1000));
  }

  async function admitOrThrow(key: string, limit: AuthRateLimit): Promise<void> {
    const retryAfter = await consume(key, limit);
    if (retryAfter !== undefined) throw new AuthRateLimitedError({ headers: { 'retry-after': String(retryAfter) } });
  }

  return {
    /**
     * Counts the attempt per address, then per email; 429 AUTH_RATE_LIMITED over either limit. An
     * attempt without a readable email is refused (400 VALIDATION_FAILED): it cannot be counted.
     */
    async admit(attempt: LimitedAttempt): Promise<void> {
      await admitOrThrow(`${attempt.kind}:ip:${attempt.ip}`, limits.perIp);
      if (attempt.kind === 'password-check') return;
      if (attempt.email === undefined) throw new ValidationFailedError({ details: [{ path: 'body.email', rule: 'required' }] });
      await admitOrThrow(`${attempt.kind}:email:${attempt.email}`, limits.perEmail);
    },
    /**
     * An invitation email: counted per organization (the per-address limit) and per invited email
     * (the per-email limit), so invitations cannot be used to mail an address, or many, without end.
     */
    async admitInvitation(invitation: { organizationId: string; email: string }): Promise<void> {
      await admitOrThrow(`invitation:organization:${invitation.organizationId}`, limits.perIp);
      await admitOrThrow(`invitation:email:${invitation.email}`, limits.perEmail);
    },
    /** A successful sign-in clears its email's failures. */
    async signedIn(email: string): Promise<void> {
      await database.delete(authRateLimits).where(eq(authRateLimits.key, `sign-in:email:${email}`));
    },
  };
}

export type AuthRateLimiter = ReturnType<typeof createAuthRateLimiter>;

const LIMITED_PATHS: ReadonlyMap<string, LimitedAttempt['kind']> = new Map([
  ['/api/auth/sign-in/email', 'sign-in'],
  ['/api/auth/sign-up/email', 'sign-up'],
  ['/api/auth/change-password', 'password-check'],
  ['/api/auth/request-password-reset', 'email-link'],
  ['/api/auth/send-verification-email', 'email-link'],
]);

/**
 * The attempt a request to better-auth is, if it is one that is limited (`path` as better-auth
 * routes it). The email is read from the body exactly as better-auth reads it (JSON, or a form
 * for sign-in: the last value of a repeated field), so the one counted is the one checked.
 */
export async function limitedAttempt(request: { method: string; path: string; ip: string; contentType: string | undefined; body: unknown }): Promise<LimitedAttempt | undefined> {
  if (request.method !== 'POST') return undefined;
  const kind = LIMITED_PATHS.get(request.path);
  if (kind === undefined) return undefined;
  return { kind, ip: request.ip, email: await emailOf(request.contentType ?? '', request.body) };
}

async function emailOf(contentType: string, body: unknown): Promise<string | undefined> {
  if (!(body instanceof Buffer) || body.length === 0) return undefined;
  const parsed = new Request('http://body.invalid', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) });
  try {
    const email =
      contentType.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded'
        ? (await parsed.formData()).getAll('email').at(-1)
        : ((await parsed.json()) as { email?: unknown } | null)?.email;
    return typeof email === 'string' ? email.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
