import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { openAPI } from 'better-auth/plugins';
import { InternalError, type Clock, type Database, type ErrorReporter, type Logger } from '@keel/kernel';
import { recordAudit, type AuditAction } from '../audit/record-audit.ts';
import type { EmailMessage, Mailer } from '../email/mailer.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './errors.ts';
import { identitySchema } from './schema.ts';

export interface AuthOptions {
  /** Central's database as its app role. */
  database: Database;
  /** Signs session cookies; at least 32 characters. */
  secret: string;
  /** Where browsers reach Keel; its origin is the one trusted origin, `https:` makes cookies Secure. */
  publicUrl: string;
  logger: Logger;
  /** Sends password reset and email verification links. */
  mailer: Mailer;
  /** Times audit entries. */
  clock: Clock;
  /** Where a failure to send an email goes (the answer to the client stays the same). */
  reporter: ErrorReporter;
}

export type Auth = ReturnType<typeof createAuth>;

/** Set by routes.ts from the connection, after removing whatever the client sent under that name. */
export const CLIENT_IP_HEADER = 'x-keel-client-ip';

/** How long a password reset link works (better-auth's default, stated). */
export const RESET_PASSWORD_TOKEN_SECONDS = 3600;

function redacted(value: unknown): unknown {
  if (!(value instanceof Error)) return typeof value === 'object' && value !== null ? '[object]' : value;
  const cause = value.cause as { code?: unknown } | undefined;
  return { name: value.name, code: (value as { code?: unknown }).code ?? cause?.code };
}

/**
 * better-auth for central: email + password over Drizzle, database-generated UUID ids (an
 * organization's id will be a tenant id), a session in an httpOnly, SameSite=Lax cookie that is
 * Secure exactly when PUBLIC_URL is https. Its error answers get Keel's codes in routes.ts.
 */
export function createAuth(options: AuthOptions) {
  const origin = new URL(options.publicUrl).origin;
  const { database, clock } = options;

  /** A failed send is reported, never answered: the answer must not depend on the account. */
  async function send(message: EmailMessage): Promise<void> {
    await options.mailer.send(message).catch((error: unknown) => options.reporter.report(new InternalError({ cause: error })));
  }

  /** Account events: no organization, the user as actor, the request id of the current request. */
  const audit = (userId: string, action: AuditAction, details: Record<string, unknown> = {}) =>
    recordAudit(database, { organizationId: null, actor: { userId }, action, details, at: clock.now() });

  return betterAuth({
    appName: 'Keel',
    secret: options.secret,
    baseURL: origin,
    basePath: '/api/auth',
    trustedOrigins: [origin],
    database: drizzleAdapter(database, { provider: 'pg', schema: identitySchema, transaction: true }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      // Accounts work unverified (specs/tenancy.md, Accounts): verification is offered, not required.
      requireEmailVerification: false,
      resetPasswordTokenExpiresIn: RESET_PASSWORD_TOKEN_SECONDS,
      // Whoever reset the password proved they hold the email: every session of the account ends.
      revokeSessionsOnPasswordReset: true,
      // The link leads to the web app's page, which posts the token to /api/auth/reset-password.
      sendResetPassword: ({ user, token }) =>
        send({
          to: user.email,
          subject: 'Reset your Keel password',
          text: 'Someone asked to reset the password of your Keel account. The link works once, within an hour; if it was not you, ignore this email.',
          link: `${origin}/reset-password?token=${encodeURIComponent(token)}`,
        }),
      onPasswordReset: ({ user }) => audit(user.id, 'user.password_reset'),
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: false,
      // better-auth's link: /api/auth/verify-email?token=…&callbackURL=/ (then back to the app).
      sendVerificationEmail: ({ user, url }) =>
        send({ to: user.email, subject: 'Confirm your email for Keel', text: 'Open the link to confirm this is your email address.', link: url }),
    },
    // One-time tokens (password reset) are stored as SHA-256 hashes: reading the table resets nothing.
    verification: { storeIdentifier: 'hashed' },
    databaseHooks: {
      session: {
        create: {
          // Only sign-ins: sign-up and a password change with revokeOtherSessions create sessions too.
          after: async (session, context) => {
            if (context?.path.startsWith('/sign-in/')) await audit(session.userId, 'user.signed_in', { ipAddress: session.ipAddress ?? null, userAgent: session.userAgent ?? null });
          },
        },
      },
      account: {
        update: {
          after: async (account, context) => {
            if (context?.path === '/change-password') {
              const body = context.body as { revokeOtherSessions?: unknown } | undefined;
              await audit(account.userId, 'user.password_changed', { otherSessionsRevoked: body?.revokeOtherSessions === true });
            }
          },
        },
      },
    },
    // Keel counts sign-in and emailed-link attempts itself, in central's database, so that a limit
    // holds across instances (auth-rate-limiter.ts, applied in routes.ts). better-auth's own limiter
    // keeps its counts in each process's memory and is on only in production: off, so there is one
    // limiter with one behaviour everywhere.
    rateLimit: { enabled: false },
    // Its generated OpenAPI document at /api/auth/open-api/generate-schema. Its HTML reference page
    // loads a script from a CDN: not served.
    plugins: [openAPI({ disableDefaultReference: true })],
    advanced: {
      database: { generateId: 'uuid' },
      // Mail goes out after the answer: a slow provider must not make "an account has this email"
      // observable in the response time. `send` reports its own failures.
      backgroundTasks: { handler: (promise) => void promise },
      // better-auth skips these checks whenever NODE_ENV=test; Keel wants them everywhere.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      // The client address comes only from the header routes.ts sets from the socket (or the
      // proxy TRUST_PROXY names), never from one a client could send.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: new URL(options.publicUrl).protocol === 'https:',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    telemetry: { enabled: false },
    logger: {
      level: 'warn',
      // Its arguments can hold query parameters (emails, password hashes, session tokens): only
      // error names and codes are logged.
      log: (level, message, ...args) => options.logger[level]({ betterAuth: args.map(redacted) }, message),
    },
  });
}
