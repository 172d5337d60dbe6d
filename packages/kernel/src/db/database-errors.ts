/** SQLSTATE classes and client failures that mean "the database is not there", not "bad request". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NETWORK_CODES.has(code) || code.startsWith('08')) return true;
  }
  return /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
}

export interface PostgresError extends Error {
  code: string;
  constraint?: string;
}

export function isPostgresError(error: unknown, sqlstate: string): error is PostgresError {
  return error instanceof Error && (error as { code?: unknown }).code === sqlstate;
}

export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  insufficientPrivilege: '42501',
} as const;
