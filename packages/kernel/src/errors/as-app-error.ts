import { isDatabaseUnavailable } from '../db/database-errors.ts';
import { AppError } from './app-error.ts';
import { DatabaseUnavailableError, InternalError } from './errors.ts';

/** Any thrown value as an AppError: itself, a database outage, or a reported internal error. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError({ cause: error });
  return new InternalError({ cause: error });
}
