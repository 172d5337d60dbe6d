import { DrizzleQueryError } from 'drizzle-orm';

/** SQLSTATE classes and client failures that mean "the database is not there", not "bad request". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export interface PostgresError extends Error {
  code: string;
  constraint?: string;
}

/** Drizzle wraps every failed statement in a `DrizzleQueryError` whose cause is the driver's error. */
function driverErrorOf(error: unknown): unknown {
  return error instanceof DrizzleQueryError ? error.cause : error;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  if (!(driverError instanceof Error)) return false;
  const code = (driverError as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NETWORK_CODES.has(code) || code.startsWith('08')) return true;
  }
  return /timeout exceeded when trying to connect|Connection terminated/i.test(driverError.message);
}

/** The PostgreSQL error behind `error` (unwrapped from Drizzle) when it has this SQLSTATE. */
export function postgresErrorOf(error: unknown, sqlstate: string): PostgresError | undefined {
  const driverError = driverErrorOf(error);
  return driverError instanceof Error && (driverError as { code?: unknown }).code === sqlstate ? (driverError as PostgresError) : undefined;
}

export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  insufficientPrivilege: '42501',
} as const;
