import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Database, Logger } from '@keel/kernel';
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
}

export type Auth = ReturnType<typeof createAuth>;

/** Set by routes.ts from the connection, after removing whatever the client sent under that name. */
export const CLIENT_IP_HEADER = 'x-keel-client-ip';

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
  return betterAuth({
    appName: 'Keel',
    secret: options.secret,
    baseURL: new URL(options.publicUrl).origin,
    basePath: '/api/auth',
    trustedOrigins: [new URL(options.publicUrl).origin],
    database: drizzleAdapter(options.database, { provider: 'pg', schema: identitySchema, transaction: true }),
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_MIN_LENGTH, maxPasswordLength: PASSWORD_MAX_LENGTH },
    advanced: {
      database: { generateId: 'uuid' },
      // better-auth skips these checks whenever NODE_ENV=test; Keel wants them everywhere.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      // The client address comes only from the header routes.ts sets from the socket (or the
      // trusted proxy), never from one a client could send.
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
